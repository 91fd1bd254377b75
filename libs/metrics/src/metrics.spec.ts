import { ApolloServer } from '@apollo/server';
import { execFileSync } from 'node:child_process';
import { GraphQLError } from 'graphql';
import { BoundedLabel, OTHER, topWithOther } from './bounded-label';
import { graphqlMetricsPlugin, operationRootField, UNRESOLVED_OPERATION } from './graphql-metrics.plugin';
import { startMetricsServer } from './metrics-server';
import { ProcessMetrics } from './process-metrics';
import { parse } from 'graphql';

/** The value of one sample of the registry's text (undefined when absent). */
async function sample(m: ProcessMetrics, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const json = await m.registry.getSingleMetricAsString(name.replace(/_(count|sum|bucket)$/, '')).catch(() => '');
  for (const line of json.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    const m2 = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (.+)$/.exec(line);
    if (!m2 || m2[1] !== name) continue;
    const got = Object.fromEntries([...(m2[2] ?? '').matchAll(/([a-zA-Z_]+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m2[3]);
  }
  return undefined;
}

describe('BoundedLabel', () => {
  it('keeps the first values and turns later or malformed ones into "other"', () => {
    const l = new BoundedLabel(2);
    expect(l.of('tenant')).toBe('tenant');
    expect(l.of('me')).toBe('me');
    expect(l.of('tenant')).toBe('tenant');
    expect(l.of('roles')).toBe(OTHER);
    expect(new BoundedLabel(5).of('has space')).toBe(OTHER);
    expect(new BoundedLabel(5).of('x'.repeat(65))).toBe(OTHER);
  });

  it('topWithOther keeps the largest and sums the rest', () => {
    expect(
      topWithOther(
        [
          { key: 'a', value: 1 },
          { key: 'b', value: 5 },
          { key: 'c', value: 3 },
          { key: 'd', value: 2 },
        ],
        2,
      ),
    ).toEqual([
      { key: 'b', value: 5 },
      { key: 'c', value: 3 },
      { key: OTHER, value: 3 },
    ]);
    expect(topWithOther([{ key: 'a', value: 1 }], 2)).toEqual([{ key: 'a', value: 1 }]);
  });
});

describe('operationRootField', () => {
  it('names an operation by its first root field, never by its client-chosen name', () => {
    const op = (q: string) => parse(q).definitions[0] as never;
    expect(operationRootField(op('query AnyName { __typename tenant { id } me { id } }'))).toBe('tenant');
    expect(operationRootField(op('mutation { requestSession(input: {}) { id } }'))).toBe('requestSession');
    expect(operationRootField(undefined)).toBe(UNRESOLVED_OPERATION);
  });
});

describe('ProcessMetrics', () => {
  const typeDefs = 'type Query { hello: String fails: String secret: String }';
  const resolvers = {
    Query: {
      hello: () => 'world',
      fails: () => {
        throw new GraphQLError('nope', { extensions: { code: 'FORBIDDEN' } });
      },
      secret: () => {
        throw new Error('a bug');
      },
    },
  };

  it('counts operations by root field and outcome, and errors by code, through the Apollo plugin', async () => {
    const m = new ProcessMetrics({ service: 'test' });
    const server = new ApolloServer({
      typeDefs,
      resolvers,
      plugins: [graphqlMetricsPlugin(m)],
      formatError: (f) => (f.extensions?.code !== 'INTERNAL_SERVER_ERROR' ? f : { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
    });
    await server.start();
    await server.executeOperation({ query: 'query Whatever { hello }' });
    await server.executeOperation({ query: '{ hello }' });
    await server.executeOperation({ query: '{ fails }' });
    await server.executeOperation({ query: '{ secret }' });
    await server.executeOperation({ query: '{ noSuchField }' });
    await server.stop();
    expect(await sample(m, 'remote_help_graphql_request_duration_seconds_count', { operation: 'hello', type: 'query', outcome: 'ok', service: 'test' })).toBe(2);
    expect(await sample(m, 'remote_help_graphql_request_duration_seconds_count', { operation: 'fails', outcome: 'error' })).toBe(1);
    expect(await sample(m, 'remote_help_graphql_errors_total', { operation: 'fails', code: 'FORBIDDEN' })).toBe(1);
    expect(await sample(m, 'remote_help_graphql_errors_total', { operation: 'secret', code: 'INTERNAL_SERVER_ERROR' })).toBe(1);
    // The field a client made up is no label value.
    expect(await sample(m, 'remote_help_graphql_errors_total', { operation: UNRESOLVED_OPERATION, code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(await m.text()).not.toContain('noSuchField');
    expect(await m.text()).not.toContain('Whatever');
  });

  it('records consumer batches and reads lag, outbox and sessions when scraped; a failing source leaves its series out (or says NaN) and is counted', async () => {
    const errors: string[] = [];
    const m = new ProcessMetrics({ service: 'test', onCollectError: (c) => errors.push(c) });
    m.consumerBatch('svc.directory', 'directory.events', 3, 0.02);
    m.trackConsumerLag('svc.directory', async () => new Map([['directory.events', 7]]));
    m.trackConsumerLag('svc.broken', async () => {
      throw new Error('broker down');
    });
    let backlog = { events: 4, oldestAgeSeconds: 75 };
    m.trackOutbox(async () => backlog);
    m.trackActiveSessions(async () => [
      { tenantId: 't1', count: 2 },
      { tenantId: 't2', count: 1 },
    ]);
    expect(await sample(m, 'remote_help_kafka_consumer_messages_total', { consumer: 'svc.directory', topic: 'directory.events' })).toBe(3);
    expect(await sample(m, 'remote_help_kafka_consumer_processing_seconds_count', { topic: 'directory.events' })).toBe(1);
    expect(await sample(m, 'remote_help_kafka_consumer_lag_messages', { consumer: 'svc.directory', topic: 'directory.events' })).toBe(7);
    expect(await sample(m, 'remote_help_kafka_consumer_lag_messages', { consumer: 'svc.broken' })).toBeUndefined();
    expect(await sample(m, 'remote_help_metrics_collect_failures_total', { collector: 'kafka_consumer_lag' })).toBeGreaterThanOrEqual(1);
    expect(errors).toContain('kafka_consumer_lag');
    expect(await sample(m, 'remote_help_outbox_backlog_events')).toBe(4);
    expect(await sample(m, 'remote_help_outbox_oldest_event_age_seconds')).toBe(75);
    backlog = { events: 0, oldestAgeSeconds: 0 };
    expect(await sample(m, 'remote_help_outbox_oldest_event_age_seconds')).toBe(0);
    // Without the tenant label: one series, the sum.
    expect(await sample(m, 'remote_help_active_sessions')).toBe(3);
    expect(await m.text()).not.toContain('tenant="t1"');
  });

  it('labels active sessions by tenant only when asked, for the largest tenants, the rest as "other"', async () => {
    const m = new ProcessMetrics({ service: 'test' });
    m.trackActiveSessions(
      async () => [
        { tenantId: 't1', count: 2 },
        { tenantId: 't2', count: 5 },
        { tenantId: 't3', count: 1 },
      ],
      { max: 1 },
    );
    expect(await sample(m, 'remote_help_active_sessions', { tenant: 't2' })).toBe(5);
    expect(await sample(m, 'remote_help_active_sessions', { tenant: OTHER })).toBe(3);
    expect(await sample(m, 'remote_help_active_sessions', { tenant: 't1' })).toBeUndefined();
  });

  it('gives a source that hangs 2 s, then says NaN (could not be read)', async () => {
    const m = new ProcessMetrics({ service: 'test' });
    m.trackOutbox(() => new Promise(() => undefined));
    expect(await sample(m, 'remote_help_outbox_backlog_events')).toBeNaN();
    expect(await sample(m, 'remote_help_metrics_collect_failures_total', { collector: 'outbox' })).toBe(1);
  }, 10_000);

  it("serves GET /metrics on its own port, Prometheus's text format, and nothing else", async () => {
    const m = new ProcessMetrics({ service: 'test' });
    m.websocketConnections.inc();
    const server = await startMetricsServer(m, { host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      expect(text).toContain('remote_help_websocket_connections{service="test"} 1');
      expect(text).toContain('process_cpu_user_seconds_total');
      expect(text).toContain('nodejs_eventloop_lag_seconds');
      expect((await fetch(server.url.replace('/metrics', '/graphql'))).status).toBe(404);
      // promtool (Debian's prometheus package; .ci/run installs it) lints the exposition.
      expect(execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })).toBe('');
    } finally {
      await server.close();
    }
  });
});
