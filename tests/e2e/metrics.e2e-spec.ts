import { spawnSync } from 'node:child_process';
import { errorCodes, eventually, gatewayUrl, gql, gqlOk, metricsUrls, serviceUrls } from './support/client';
import { checkAccess, helpDesk } from './support/fixtures';
import { metricValue as value } from './support/metrics';
import { subscribe, wsClient } from './support/ws';

/**
 * Every process's `GET /metrics` (its own metrics port, never the public one): Prometheus text
 * that promtool accepts, and counters that move as one Remote Help session runs through the
 * gateway (GraphQL operations and errors, subgraph fetches, WebSocket subscriptions, active
 * sessions, the events reporting-service applies, consumer lag and the outbox draining).
 */

const PROCESSES = ['gateway', 'tenant-service', 'rbac-service', 'session-service', 'reporting-service'];

async function scrape(name: string): Promise<string> {
  const res = await fetch(metricsUrls()[name]);
  expect(res.status).toBe(200);
  return res.text();
}

const at = async (name: string, metric: string, labels: Record<string, string> = {}) => value(await scrape(name), metric, labels) ?? 0;
const ops = (operation: string, outcome = 'ok') => ({ operation, outcome });

const SESSION = 'id state securityCode';

describe('metrics', () => {
  it.each(PROCESSES)('%s serves GET /metrics on its metrics port, in a form promtool accepts, and not on its public port', async (name) => {
    const text = await scrape(name);
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(lint.error).toBeUndefined();
    expect({ status: lint.status, out: `${lint.stdout}${lint.stderr}` }).toEqual({ status: 0, out: '' });
    expect(text).toContain(`process_cpu_user_seconds_total{service="${name}"}`);
    expect(text).toContain('nodejs_heap_size_used_bytes');
    if (name !== 'gateway') {
      // Every service has an outbox, read at each scrape.
      expect(value(text, 'remote_help_outbox_backlog_events')).toEqual(expect.any(Number));
      expect(value(text, 'remote_help_outbox_oldest_event_age_seconds')).toEqual(expect.any(Number));
    }
    const publicBase = name === 'gateway' ? new URL(gatewayUrl()).origin : serviceUrls()[name];
    expect((await fetch(`${publicBase}/metrics`)).status).toBe(404);
    expect(new URL(metricsUrls()[name]).port).not.toBe(new URL(publicBase).port);
  });

  it('move as one session runs through the gateway', async () => {
    const { t, helper, sharer, deviceId } = await helpDesk();
    const [ht, st] = [helper.token(), sharer.token()];
    // rbac-service learns the directory from events: wait until it allows the session.
    await eventually(
      () => checkAccess(t, helper.id, deviceId, 'VIEW_ONLY').catch(() => null),
      (d) => !!d?.allowed,
      20_000,
    );

    const before = Object.fromEntries(await Promise.all(PROCESSES.map(async (p) => [p, await scrape(p)] as const)));
    const delta = async (name: string, metric: string, labels: Record<string, string> = {}) => (await at(name, metric, labels)) - (value(before[name], metric, labels) ?? 0);
    const sessionTopic = { topic: 'remote-help.session.v1' };

    // A dashboard watches the tenant's count over WebSocket.
    const dashboard = wsClient(t.adminToken);
    const sub = subscribe(dashboard, 'subscription { activeSessionCount { count } }');
    await sub.next(10_000);
    expect(await delta('gateway', 'remote_help_graphql_subscriptions', { subscription: 'activeSessionCount' })).toBe(1);
    expect(await delta('gateway', 'remote_help_websocket_connections')).toBeGreaterThanOrEqual(1);

    const { requestSession } = await gqlOk<{ requestSession: { session: { id: string; securityCode: string } } }>(
      `mutation ($input: RequestSessionInput!) { requestSession(input: $input) { session { ${SESSION} } } }`,
      { input: { deviceId, mode: 'VIEW_ONLY', reason: 'metrics' } },
      ht,
    );
    const id = requestSession.session.id;
    await gqlOk(`mutation ($code: String!) { joinSession(securityCode: $code) { ${SESSION} } }`, { code: requestSession.session.securityCode }, st);
    // The helper may not consent for the sharer: one FORBIDDEN.
    const refused = await gql(`mutation ($id: ID!) { respondToSession(sessionId: $id, accept: true) { id } }`, { id }, ht);
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    await gqlOk(`mutation ($id: ID!) { respondToSession(sessionId: $id, accept: true) { ${SESSION} } }`, { id }, st);
    expect(await at('session-service', 'remote_help_active_sessions')).toBeGreaterThanOrEqual(1);
    const activeDuring = await at('session-service', 'remote_help_active_sessions');
    await gqlOk(`mutation ($id: ID!) { endSession(sessionId: $id) { ${SESSION} } }`, { id }, ht);

    // The gateway: one of each operation, by root field (never by user or session), the refusal by code.
    for (const op of ['requestSession', 'joinSession', 'endSession']) expect(await delta('gateway', 'remote_help_graphql_request_duration_seconds_count', { ...ops(op), type: 'mutation' })).toBe(1);
    expect(await delta('gateway', 'remote_help_graphql_request_duration_seconds_count', ops('respondToSession'))).toBe(1);
    expect(await delta('gateway', 'remote_help_graphql_request_duration_seconds_count', ops('respondToSession', 'error'))).toBe(1);
    expect(await delta('gateway', 'remote_help_graphql_errors_total', { operation: 'respondToSession', code: 'FORBIDDEN' })).toBe(1);
    expect(await delta('gateway', 'remote_help_subgraph_fetch_duration_seconds_count', { subgraph: 'session-service' })).toBeGreaterThanOrEqual(5);
    expect(await scrape('gateway')).not.toContain(id);
    // session-service served the same operations as a subgraph, and counted the same refusal.
    expect(await delta('session-service', 'remote_help_graphql_request_duration_seconds_count', ops('requestSession'))).toBe(1);
    expect(await delta('session-service', 'remote_help_graphql_errors_total', { operation: 'respondToSession', code: 'FORBIDDEN' })).toBe(1);
    // The session ended: one active session fewer (others' sessions only end meanwhile).
    expect(
      await eventually(
        () => at('session-service', 'remote_help_active_sessions'),
        (n) => n <= activeDuring - 1,
      ),
    ).toBeLessThanOrEqual(activeDuring - 1);
    // Its events left session-service's outbox and reached reporting-service's consumers, which caught up.
    expect(
      await eventually(
        () => at('session-service', 'remote_help_outbox_backlog_events'),
        (n) => n === 0,
      ),
    ).toBe(0);
    expect(
      await eventually(
        () => delta('reporting-service', 'remote_help_kafka_consumer_messages_total', sessionTopic),
        (n) => n >= 4,
      ),
    ).toBeGreaterThanOrEqual(4);
    expect(await delta('reporting-service', 'remote_help_kafka_consumer_processing_seconds_count', sessionTopic)).toBeGreaterThanOrEqual(1);
    const reportingLag = await eventually(
      () => scrape('reporting-service'),
      (text) => value(text, 'remote_help_kafka_consumer_lag_messages', sessionTopic) === 0,
    );
    expect(value(reportingLag, 'remote_help_kafka_consumer_lag_messages', sessionTopic)).toBe(0);
    // The gateway's live feed read them too.
    expect(
      await eventually(
        () => delta('gateway', 'remote_help_kafka_consumer_messages_total', { consumer: 'gateway.event-feed', ...sessionTopic }),
        (n) => n >= 4,
      ),
    ).toBeGreaterThanOrEqual(4);

    // The dashboard leaves: its subscription and connection are no longer counted.
    await sub.close();
    await dashboard.dispose();
    expect(
      await eventually(
        () => delta('gateway', 'remote_help_graphql_subscriptions', { subscription: 'activeSessionCount' }),
        (n) => n === 0,
      ),
    ).toBe(0);
    expect(
      await eventually(
        () => delta('gateway', 'remote_help_websocket_connections'),
        (n) => n <= 0,
      ),
    ).toBeLessThanOrEqual(0);
  });
});
