import { context, isSpanContextValid, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type TextMapGetter } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

/**
 * Traces across Kafka: an event carries on the trace of the request that caused it.
 *
 * The outbox row keeps the W3C trace context of the transaction that wrote it
 * (`outbox.trace_context`); the relay publishes each row under a PRODUCER span that continues
 * that trace, with `traceparent` (and `tracestate`) in the message's headers; the consumer that
 * applies the event continues it again under a CONSUMER span, in which the handler's queries run.
 * Done here rather than by a Kafka instrumentation because one relay batch and one consumer
 * transaction each carry the events of many requests: each message needs its own parent.
 *
 * Only the OpenTelemetry API is used: with tracing off (no SDK started) nothing is active, no row
 * gets a context, no header is added and no span is made.
 */
const tracer = trace.getTracer('@remote-help/events');

/** The trace context of the active span as propagation headers, for an outbox row; null when no span is active. */
export function activeTraceContext(): Record<string, string> | null {
  const span = trace.getActiveSpan();
  if (!span || !isSpanContextValid(span.spanContext())) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length > 0 ? carrier : null;
}

/** {@link activeTraceContext} as the JSON text an outbox row's `trace_context` takes (null: none). */
export function activeTraceContextJson(): string | null {
  const carrier = activeTraceContext();
  return carrier ? JSON.stringify(carrier) : null;
}

const headerGetter: TextMapGetter<IHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const v = carrier[key];
    if (v === undefined) return undefined;
    return Array.isArray(v) ? v.map(String) : String(v);
  },
};

const messagingAttributes = (topic: string, operation: 'send' | 'process', eventId: string) => ({
  'messaging.system': 'kafka',
  'messaging.destination.name': topic,
  'messaging.operation.type': operation,
  'messaging.message.id': eventId,
});

/**
 * The relay's span for one event it publishes: a PRODUCER span, child of the context its outbox
 * row kept, and the headers that carry it on. Null when the row kept none (written outside a
 * trace, or with tracing off): the message then goes without trace headers.
 */
export function startPublishSpan(topic: string, eventId: string, rowContext: Record<string, string> | null | undefined): { span: Span; headers: Record<string, string> } | null {
  if (!rowContext) return null;
  const parent = propagation.extract(ROOT_CONTEXT, rowContext);
  if (!trace.getSpanContext(parent)) return null;
  const span = tracer.startSpan(`publish ${topic}`, { kind: SpanKind.PRODUCER, attributes: messagingAttributes(topic, 'send', eventId) }, parent);
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), headers);
  return { span, headers };
}

/** Ends spans, as failed when `err` is given. */
export function endSpans(spans: Span[], err?: unknown): void {
  for (const span of spans) {
    if (err !== undefined) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
    }
    span.end();
  }
}

/** One consumed message, as {@link inProcessSpans} takes it. */
interface ConsumedMessage {
  topic: string;
  eventId: string;
  headers: IHeaders | undefined;
}

/**
 * Runs `apply` (the transaction that applies consumed events) under CONSUMER spans that continue
 * each message's trace (from its `traceparent` header). One message: its span is active while
 * `apply` runs, so the handler's queries are its children. Several (a batch of many traces): each
 * still gets its own span in its own trace, and `apply` runs under a span of the batch that links
 * to them. Messages without trace headers get no span; with none at all, `apply` just runs.
 */
export async function inProcessSpans<T>(consumer: string, messages: ConsumedMessage[], apply: () => Promise<T>): Promise<T> {
  const traced: { message: ConsumedMessage; parent: Context }[] = [];
  for (const message of messages) {
    const headers = message.headers;
    if (!headers?.traceparent) continue;
    const parent = propagation.extract(ROOT_CONTEXT, headers, headerGetter);
    if (trace.getSpanContext(parent)) traced.push({ message, parent });
  }
  if (traced.length === 0) return apply();
  const spans = traced.map(({ message, parent }) =>
    tracer.startSpan(`process ${message.topic}`, { kind: SpanKind.CONSUMER, attributes: { ...messagingAttributes(message.topic, 'process', message.eventId), 'messaging.consumer.group.name': consumer } }, parent),
  );
  let active: Context;
  if (messages.length === 1) {
    active = trace.setSpan(traced[0].parent, spans[0]);
  } else {
    const batch = tracer.startSpan(
      'process batch',
      {
        kind: SpanKind.CONSUMER,
        links: spans.map((s) => ({ context: s.spanContext() })),
        attributes: { 'messaging.system': 'kafka', 'messaging.batch.message_count': messages.length, 'messaging.consumer.group.name': consumer },
      },
      ROOT_CONTEXT,
    );
    spans.push(batch);
    active = trace.setSpan(ROOT_CONTEXT, batch);
  }
  try {
    const result = await context.with(active, apply);
    endSpans(spans);
    return result;
  } catch (err) {
    endSpans(spans, err);
    throw err;
  }
}
