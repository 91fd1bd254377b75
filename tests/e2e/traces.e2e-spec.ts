import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { eventually, gatewayUrl, required } from './support/client';
import { helpDesk } from './support/fixtures';
import { accessSettled } from './support/sessions';

/**
 * Tracing, read back from a real receiver: the run's processes send their spans to a Zipkin
 * server (support/global-setup.mjs: OTEL_TRACES_EXPORTER=zipkin), and this test reads one trace
 * from Zipkin's API. A client's requestSession, sent with its own W3C `traceparent`, must come
 * back as one trace: the gateway's request (its span the child of the client's), session-service
 * answering the gateway's fetch, rbac-service answering session-service's access decision,
 * session-service's queries, the outbox relay publishing the session event under the request's
 * trace (the context kept on the outbox row), and reporting-service applying that event from
 * Kafka (the context in the message's headers), its queries included. Log lines written while
 * serving it carry the trace id.
 */

interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  name?: string;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

const REQUEST = `mutation ($input: RequestSessionInput!) { requestSession(input: $input) { session { id state } decision { allowed } } }`;

const serviceOf = (s?: ZipkinSpan) => s?.localEndpoint?.serviceName;
const isQuery = (s: ZipkinSpan) => s.tags?.['db.system.name'] === 'postgresql' || s.tags?.['db.system'] === 'postgresql';

/** The trace as Zipkin has it once `complete(spans)` holds (spans arrive in batches, from five processes). */
async function zipkinTrace(traceId: string, complete: (spans: ZipkinSpan[]) => boolean, timeoutMs = 60_000): Promise<ZipkinSpan[]> {
  const url = `${required('RH_E2E_ZIPKIN_URL')}/api/v2/trace/${traceId}`;
  const deadline = Date.now() + timeoutMs;
  let spans: ZipkinSpan[] = [];
  for (;;) {
    const res = await fetch(url);
    if (res.ok) spans = (await res.json()) as ZipkinSpan[];
    else if (res.status !== 404) throw new Error(`Zipkin answered ${res.status}: ${await res.text()}`);
    if (complete(spans) || Date.now() > deadline) return spans;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('traces', () => {
  it('one requestSession is one trace across gateway, session-service, rbac-service and, through Kafka, reporting-service', async () => {
    const { t, helper, deviceId } = await helpDesk();
    await accessSettled(t, helper.id, deviceId);

    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    const res = await fetch(gatewayUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${helper.token()}`, traceparent: `00-${traceId}-${clientSpanId}-01` },
      body: JSON.stringify({ query: REQUEST, variables: { input: { deviceId, mode: 'FULL_CONTROL' } } }),
    });
    const body = (await res.json()) as { data?: { requestSession: { session: { id: string } | null; decision: { allowed: boolean } } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.requestSession.decision.allowed).toBe(true);

    const byId = (spans: ZipkinSpan[]) => new Map(spans.map((s) => [s.id, s]));
    const parentOf = (spans: ZipkinSpan[], s: ZipkinSpan) => (s.parentId ? byId(spans).get(s.parentId) : undefined);
    const ancestors = (spans: ZipkinSpan[], s: ZipkinSpan) => {
      const out: ZipkinSpan[] = [];
      for (let p = parentOf(spans, s); p && out.length < 100; p = parentOf(spans, p)) out.push(p);
      return out;
    };
    const rootsOf = (spans: ZipkinSpan[]) => spans.filter((s) => !s.parentId || !byId(spans).has(s.parentId));
    const consumerOf = (spans: ZipkinSpan[]) => spans.find((s) => serviceOf(s) === 'reporting-service' && s.kind === 'CONSUMER' && s.name?.startsWith('process ') && spans.some((q) => q.parentId === s.id && isQuery(q)));
    const rbacServerOf = (spans: ZipkinSpan[]) => spans.find((s) => serviceOf(s) === 'rbac-service' && s.kind === 'SERVER' && parentOf(spans, s) && serviceOf(parentOf(spans, s)!) === 'session-service');
    // Complete: reporting-service applied the event, rbac-service answered, and every span's parent has arrived.
    const spans = await zipkinTrace(traceId, (all) => !!consumerOf(all) && !!rbacServerOf(all) && rootsOf(all).length === 1);

    // Every span is in the client's trace, and every one but the gateway's first has its parent
    // in it: the trace is one tree, hanging from the client's span.
    expect(spans.length).toBeGreaterThan(5);
    expect(spans.every((s) => s.traceId === traceId)).toBe(true);
    const roots = rootsOf(spans);
    expect(roots.map((s) => [serviceOf(s), s.kind, s.parentId])).toEqual([['gateway', 'SERVER', clientSpanId]]);
    const gatewayRoot = roots[0];
    for (const service of ['gateway', 'session-service', 'rbac-service', 'reporting-service']) expect(spans.map(serviceOf)).toContain(service);

    // session-service served the gateway's fetch (the gateway's CLIENT span is its parent).
    const sessionServer = spans.find((s) => serviceOf(s) === 'session-service' && s.kind === 'SERVER' && serviceOf(parentOf(spans, s)!) === 'gateway');
    expect(sessionServer).toBeDefined();
    expect(parentOf(spans, sessionServer!)!.kind).toBe('CLIENT');
    expect(ancestors(spans, sessionServer!)).toContain(gatewayRoot);
    // ... with its queries in its trace, below its request.
    expect(spans.some((s) => serviceOf(s) === 'session-service' && isQuery(s) && ancestors(spans, s).includes(sessionServer!))).toBe(true);

    // rbac-service answered session-service's access decision.
    const rbacServer = rbacServerOf(spans);
    expect(rbacServer).toBeDefined();
    const rbacCaller = parentOf(spans, rbacServer!)!;
    expect([serviceOf(rbacCaller), rbacCaller.kind]).toEqual(['session-service', 'CLIENT']);
    expect(ancestors(spans, rbacCaller)).toContain(sessionServer);

    // The relay published the session event under the request's trace (the outbox row kept it) ...
    const consumer = consumerOf(spans)!;
    expect(consumer).toBeDefined();
    const producer = parentOf(spans, consumer)!;
    expect([serviceOf(producer), producer.kind, producer.name]).toEqual(['session-service', 'PRODUCER', expect.stringMatching(/^publish .*remote-help\.session\.v1$/)]);
    expect(ancestors(spans, producer)).toContain(sessionServer);
    // ... and reporting-service applied it, continuing the trace from the message's headers.
    expect(consumer.name).toBe(`process ${producer.tags?.['messaging.destination.name']}`);
    expect(consumer.tags?.['messaging.message.id']).toBe(producer.tags?.['messaging.message.id']);

    // The log lines written while serving the request carry its trace id.
    const logs = path.join(required('RH_E2E_DATA_DIR'), 'logs');
    const traced = () =>
      ['gateway', 'session-service', 'rbac-service'].flatMap((service) =>
        fs
          .readFileSync(path.join(logs, `${service}.log`), 'utf8')
          .split('\n')
          .filter((l) => l.startsWith('{') && l.includes(traceId)),
      );
    const lines = await eventually(
      async () => traced(),
      (l) => l.length > 0,
      5_000,
    );
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ trace_id: traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
  }, 180_000);
});
