import { controlProcess, eventually, gatewayUrl, gqlOk, serviceUrls } from './support/client';
import { checkAccess, helpDesk } from './support/fixtures';

/**
 * The broker stopped for longer than the clients' retry budget while sessions run through the
 * gateway, then started again, with no service restarted: sessions keep working (the outbox holds
 * their events), readiness says not ready while Kafka is away, and afterwards every ended session
 * is in the report exactly once and the live counts are back to zero. The e2e run has a broker of
 * its own (global-setup.mjs), which this test stops.
 */

type Rec = Record<string, any>;
const SESSION = 'id state securityCode';
const REQUEST = `mutation ($input: RequestSessionInput!) { requestSession(input: $input) { session { ${SESSION} } decision { allowed reasons } } }`;
const JOIN = `mutation ($code: String!) { joinSession(securityCode: $code) { ${SESSION} } }`;
const RESPOND = `mutation ($id: ID!, $accept: Boolean!) { respondToSession(sessionId: $id, accept: $accept) { ${SESSION} } }`;
const END = `mutation ($id: ID!) { endSession(sessionId: $id) { ${SESSION} } }`;
const SESSIONS = `query ($first: Int, $after: String) { remoteHelpSessions(first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { sessionId outcome endedAt } } } }`;

/** Longer than the clients' retry budget (libs/events KAFKA_RETRY: 5 retries, under 10 s in all). */
const OUTAGE_MS = 20_000;

async function mutate(query: string, variables: Record<string, unknown>, token: string): Promise<Rec> {
  return Object.values(await gqlOk<Record<string, Rec>>(query, variables, token))[0];
}

/** Every report row of the tenant, all pages. */
async function reportRows(token: string): Promise<Rec[]> {
  const rows: Rec[] = [];
  for (let after: string | null = null; ;) {
    const page: Rec = (await gqlOk<{ remoteHelpSessions: Rec }>(SESSIONS, { first: 500, after }, token)).remoteHelpSessions;
    rows.push(...page.edges.map((e: Rec) => e.node));
    if (!page.pageInfo.hasNextPage) return rows;
    after = page.pageInfo.endCursor;
  }
}

async function ready(service: string): Promise<{ status: number; body: Rec }> {
  const base = service === 'gateway' ? gatewayUrl() : serviceUrls()[service];
  const res = await fetch(new URL('/health/ready', base), { signal: AbortSignal.timeout(5000) }).catch(() => null);
  return res ? { status: res.status, body: (await res.json()) as Rec } : { status: 0, body: {} };
}

it('sessions go on through a broker outage; afterwards every ended session is reported exactly once and the live counts are right, with no service restarted', async () => {
  const desks = await Promise.all([helpDesk(), helpDesk(), helpDesk()]);
  for (const d of desks)
    await eventually(
      () => checkAccess(d.t, d.helper.id, d.deviceId, 'FULL_CONTROL'),
      (x) => x.allowed,
      20_000,
    );

  // Each helper/sharer pair runs whole sessions back to back until told to stop.
  let running = true;
  const ended = desks.map(() => [] as string[]);
  const failures: string[] = [];
  const loops = desks.map(async (d, i) => {
    const [ht, st] = [d.helper.token(), d.sharer.token()];
    while (running) {
      try {
        const { session } = (await gqlOk<{ requestSession: Rec }>(REQUEST, { input: { deviceId: d.deviceId, mode: 'FULL_CONTROL' } }, ht)).requestSession;
        await mutate(JOIN, { code: session.securityCode }, st);
        await mutate(RESPOND, { id: session.id, accept: true }, st);
        const end = await mutate(END, { id: session.id }, ht);
        if (end.state === 'ENDED') ended[i].push(session.id);
      } catch (e) {
        failures.push((e as Error).message);
      }
      // A pace that stays inside the gateway's per-caller rate limit.
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  const endedCount = () => ended.reduce((n, e) => n + e.length, 0);
  await eventually(
    async () => endedCount(),
    (n) => n >= 6,
    30_000,
  );

  await controlProcess('kafka', 'stop');
  const atStop = endedCount();
  // Readiness tells the truth while the broker is away.
  const notReady = await eventually(
    () => ready('reporting-service'),
    (r) => r.status === 503,
    30_000,
  );
  expect(notReady.body.status).toBe('unavailable');
  await new Promise((r) => setTimeout(r, OUTAGE_MS));
  // Sessions kept starting and ending with Kafka down: the outbox holds their events.
  expect(endedCount()).toBeGreaterThan(atStop);
  await controlProcess('kafka', 'start');

  await eventually(
    async () => endedCount(),
    (n) => n >= atStop + 9,
    60_000,
  );
  running = false;
  await Promise.all(loops);
  expect(failures).toEqual([]);

  // Every service ready again (its consumers rejoined) without a restart, and the gateway's live feed.
  for (const service of Object.keys(serviceUrls())) {
    const r = await eventually(
      () => ready(service),
      (x) => x.status === 200,
      60_000,
    );
    expect({ service, ...r.body }).toMatchObject({ service, status: 'ok', kafka: true, consumers: true });
  }
  expect(
    (
      await eventually(
        () => ready('gateway'),
        (x) => x.status === 200,
        60_000,
      )
    ).body,
  ).toMatchObject({ status: 'ok', eventFeed: true });

  for (const [i, d] of desks.entries()) {
    const rows = await eventually(
      () => reportRows(d.t.adminToken),
      (rs) => ended[i].every((id) => rs.some((r) => r.sessionId === id && r.outcome === 'ENDED')),
      90_000,
    );
    // Exactly once each, and nothing else.
    expect(rows.map((r) => r.sessionId).sort()).toEqual([...ended[i]].sort());
    expect(rows.every((r) => r.outcome === 'ENDED' && r.endedAt)).toBe(true);
    const live = await eventually(
      () => gqlOk<{ tenant: { activeSessionCount: number }; remoteHelpMonitor: Rec }>('{ tenant { activeSessionCount } remoteHelpMonitor { activeSessions totalSessions } }', {}, d.t.adminToken),
      (x) => x.tenant.activeSessionCount === 0 && x.remoteHelpMonitor.activeSessions === 0,
    );
    expect(live.remoteHelpMonitor.totalSessions).toBe(ended[i].length);
  }
}, 300_000);
