import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { activeTraceContext, activeTraceContextJson, endSpans, inProcessSpans, startPublishSpan } from './trace-context';

/** Trace context across the outbox and Kafka, with a real SDK recording spans in memory. */
describe('trace context across the outbox and Kafka', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer('test');
  const finished = () => exporter.getFinishedSpans();
  const headerOf = (ctx: { traceId: string; spanId: string }) => ({ traceparent: `00-${ctx.traceId}-${ctx.spanId}-01` });

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
  });
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });
  beforeEach(() => exporter.reset());

  it('an outbox row keeps the active span as W3C trace context, and nothing outside a span', () => {
    expect(activeTraceContext()).toBeNull();
    expect(activeTraceContextJson()).toBeNull();
    tracer.startActiveSpan('request', (span) => {
      const { traceId, spanId } = span.spanContext();
      expect(activeTraceContext()).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
      expect(JSON.parse(activeTraceContextJson()!)).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
      span.end();
    });
  });

  it("the relay publishes under a PRODUCER span, the child of the row's context, and the headers carry that span", () => {
    expect(startPublishSpan('t.session', 'e0', null)).toBeNull();
    expect(startPublishSpan('t.session', 'e0', { traceparent: 'garbage' })).toBeNull();
    const request = tracer.startSpan('request');
    const published = startPublishSpan('t.session', 'e1', headerOf(request.spanContext()))!;
    endSpans([published.span]);
    request.end();
    const [span] = finished().filter((s) => s.name === 'publish t.session');
    expect(span.kind).toBe(SpanKind.PRODUCER);
    expect(span.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(span.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(span.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.destination.name': 't.session', 'messaging.operation.type': 'send', 'messaging.message.id': 'e1' });
    expect(published.headers).toEqual(headerOf(span.spanContext()));
  });

  it('a failed publish ends its spans as errors', () => {
    const published = startPublishSpan('t.session', 'e1', headerOf(tracer.startSpan('request').spanContext()))!;
    endSpans([published.span], new Error('broker down'));
    const [span] = finished().filter((s) => s.name === 'publish t.session');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'broker down' });
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
  });

  it("one consumed event is applied under a CONSUMER span, the child of its message's span, with the handler's work below it", async () => {
    const producer = tracer.startSpan('publish');
    const result = await inProcessSpans('reporting-service.sessions', [{ topic: 't.session', eventId: 'e1', headers: { ...headerOf(producer.spanContext()), 'event-id': Buffer.from('e1') } }], async () => {
      tracer.startSpan('query').end();
      return 42;
    });
    expect(result).toBe(42);
    const processed = finished().find((s) => s.name === 'process t.session')!;
    const query = finished().find((s) => s.name === 'query')!;
    expect(processed.kind).toBe(SpanKind.CONSUMER);
    expect(processed.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(processed.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(processed.attributes).toMatchObject({ 'messaging.operation.type': 'process', 'messaging.message.id': 'e1', 'messaging.consumer.group.name': 'reporting-service.sessions' });
    expect(query.parentSpanContext?.spanId).toBe(processed.spanContext().spanId);
  });

  it('a batch of events of several traces: each continues its own trace, and the transaction runs under a batch span that links to them', async () => {
    const [a, b] = [tracer.startSpan('publish a'), tracer.startSpan('publish b')];
    await inProcessSpans(
      'c',
      [
        { topic: 't.session', eventId: 'a', headers: headerOf(a.spanContext()) },
        { topic: 't.audit', eventId: 'b', headers: { traceparent: Buffer.from(headerOf(b.spanContext()).traceparent) } },
        { topic: 't.audit', eventId: 'untraced', headers: { 'event-id': 'untraced' } },
      ],
      async () => tracer.startSpan('query').end(),
    );
    const spans = finished();
    const processA = spans.find((s) => s.name === 'process t.session')!;
    const processB = spans.find((s) => s.name === 'process t.audit')!;
    const batch = spans.find((s) => s.name === 'process batch')!;
    expect(spans.filter((s) => s.name.startsWith('process t.'))).toHaveLength(2); // none for the untraced event
    expect([processA.spanContext().traceId, processA.parentSpanContext?.spanId]).toEqual([a.spanContext().traceId, a.spanContext().spanId]);
    expect([processB.spanContext().traceId, processB.parentSpanContext?.spanId]).toEqual([b.spanContext().traceId, b.spanContext().spanId]);
    expect(batch.parentSpanContext).toBeUndefined();
    expect(batch.links.map((l) => l.context.spanId)).toEqual([processA.spanContext().spanId, processB.spanContext().spanId]);
    expect(batch.attributes['messaging.batch.message_count']).toBe(3);
    expect(spans.find((s) => s.name === 'query')!.parentSpanContext?.spanId).toBe(batch.spanContext().spanId);
  });

  it('events without trace headers are applied with no span; a failing apply ends the spans as errors and rethrows', async () => {
    await inProcessSpans('c', [{ topic: 't', eventId: 'x', headers: undefined }], async () => tracer.startSpan('query').end());
    expect(finished().map((s) => [s.name, s.parentSpanContext])).toEqual([['query', undefined]]);
    exporter.reset();
    const producer = tracer.startSpan('publish');
    await expect(inProcessSpans('c', [{ topic: 't', eventId: 'x', headers: headerOf(producer.spanContext()) }], async () => Promise.reject(new Error('handler failed')))).rejects.toThrow('handler failed');
    expect(finished().find((s) => s.name === 'process t')!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'handler failed' });
  });
});
