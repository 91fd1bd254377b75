import { controlProcess, errorCodes, eventually, gql, gqlOk, serviceUrls } from './support/client';
import { checkAccess, helpDesk } from './support/fixtures';
import { startGateway, type ExtraGateway } from './support/oidc-processes';
import { subscribe, wsClient } from './support/ws';

/**
 * The live count at the gateway: every gateway instance has its own consumer group, so two
 * instances both deliver every change; a restart of reporting-service does not end a
 * subscription, which goes on with the counts computed after the restart.
 */
const COUNT = 'subscription { activeSessionCount { tenantId count } }';
type Rec = Record<string, any>;

async function startSession(h: Awaited<ReturnType<typeof helpDesk>>) {
  const helperToken = h.helper.token();
  const sharerToken = h.sharer.token();
  await eventually(
    () => checkAccess(h.t, h.helper.id, h.deviceId, 'VIEW_ONLY'),
    (d) => d.allowed,
    20_000,
  );
  const { requestSession } = await gqlOk<Rec>(
    'mutation ($i: RequestSessionInput!) { requestSession(input: $i) { session { id securityCode } decision { reasons } } }',
    { i: { deviceId: h.deviceId, mode: 'VIEW_ONLY' } },
    helperToken,
  );
  const id = requestSession.session.id;
  await gqlOk('mutation ($c: String!) { joinSession(securityCode: $c) { id } }', { c: requestSession.session.securityCode }, sharerToken);
  await gqlOk('mutation ($id: ID!) { respondToSession(sessionId: $id, accept: true) { id state } }', { id }, sharerToken);
  return { id, end: () => gqlOk('mutation ($id: ID!) { endSession(sessionId: $id) { state } }', { id }, helperToken) };
}

async function waitReady(base: string) {
  await eventually(
    () =>
      fetch(`${base}/health/ready`).then(
        (r) => r.ok,
        () => false,
      ),
    (ok) => ok,
    30_000,
  );
}

describe('live dashboards', () => {
  let second: ExtraGateway;
  beforeAll(async () => {
    second = await startGateway({ RATE_LIMIT_SESSION_PER_CALLER: '1000' });
    await waitReady(second.base);
  });
  afterAll(async () => second?.stop());

  it('two gateway instances both deliver every change of the count', async () => {
    const h = await helpDesk();
    const a = wsClient(h.t.adminToken);
    const b = wsClient(h.t.adminToken, second.url);
    const onA = subscribe<Rec>(a, COUNT);
    const onB = subscribe<Rec>(b, COUNT);
    expect((await onA.next()).data!.activeSessionCount.count).toBe(0);
    expect((await onB.next()).data!.activeSessionCount.count).toBe(0);
    const s = await startSession(h);
    expect((await onA.next(15_000)).data!.activeSessionCount).toEqual({ tenantId: h.t.tenantId, count: 1 });
    expect((await onB.next(15_000)).data!.activeSessionCount).toEqual({ tenantId: h.t.tenantId, count: 1 });
    await s.end();
    expect((await onA.next(15_000)).data!.activeSessionCount.count).toBe(0);
    expect((await onB.next(15_000)).data!.activeSessionCount.count).toBe(0);
    await a.dispose();
    await b.dispose();
  });

  it('keeps a subscription through a restart of reporting-service, and answers what it can meanwhile', async () => {
    const h = await helpDesk();
    const client = wsClient(h.t.adminToken);
    const live = subscribe<Rec>(client, COUNT);
    expect((await live.next()).data!.activeSessionCount.count).toBe(0);

    let s: Awaited<ReturnType<typeof startSession>>;
    await controlProcess('reporting-service', 'stop', 'SIGKILL');
    try {
      // A query that needs reporting-service gets a clear error, no stack trace; the others are served.
      const report = await gql('{ remoteHelpMonitor { activeSessions } }', {}, h.t.adminToken);
      expect(errorCodes(report)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(JSON.stringify(report.body)).not.toMatch(/\bat .+\.(js|ts):\d+/);
      const partial = await gql('{ me { id } roles { displayName } }', {}, h.t.adminToken);
      expect(partial.body.errors).toBeUndefined();
      expect(partial.body.data!.me.id).toBe(h.t.adminUserId);
      // A session starts while reporting-service is down: its events wait in Kafka.
      s = await startSession(h);
      expect(
        await fetch(`${serviceUrls()['reporting-service']}/health/live`).then(
          () => true,
          () => false,
        ),
      ).toBe(false);
    } finally {
      await controlProcess('reporting-service', 'start');
    }
    expect((await live.next(30_000)).data!.activeSessionCount.count).toBe(1);
    // Ended by the helper, or already ended as DISCONNECTED (no heartbeats in this test): the count falls either way.
    await s!.end().catch((e) => expect(String(e)).toMatch(/CONFLICT/));
    expect((await live.next(15_000)).data!.activeSessionCount.count).toBe(0);
    await client.dispose();
  });
});
