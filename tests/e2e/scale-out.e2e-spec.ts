import { controlProcess, errorCodes, eventually, gql, type GqlResponse, newTenant, serviceUrls, startReplica } from './support/client';
import { createDevice, helpDesk } from './support/fixtures';
import { scrapeValue } from './support/metrics';
import { startGateway, type ExtraGateway } from './support/oidc-processes';
import { RoundRobinProxy } from './support/round-robin-proxy';
import { accessSettled } from './support/sessions';
import { subscribe, wsClient, type Subscription } from './support/ws';

/**
 * The system scaled out: two gateways and two replicas of every subgraph service. The second
 * replica of each service runs beside the system's own (same database, same Kafka consumer
 * groups), and the test's round-robin proxy in front of each pair stands in for a Kubernetes
 * Service: the gateways and the services' internal calls go through it. Then one replica of each
 * service gets SIGTERM under load.
 */
const SERVICES = ['tenant-service', 'rbac-service', 'session-service', 'reporting-service'] as const;
/** The gateway's variable naming each subgraph's URL. */
const URL_ENV: Record<(typeof SERVICES)[number], string> = {
  'tenant-service': 'TENANT_SERVICE_URL',
  'rbac-service': 'RBAC_SERVICE_URL',
  'session-service': 'SESSION_SERVICE_URL',
  'reporting-service': 'REPORTING_SERVICE_URL',
};

const SESSION = 'id state securityCode';
const REQUEST = `mutation ($input: RequestSessionInput!) { requestSession(input: $input) { session { ${SESSION} } decision { allowed reasons } } }`;
const JOIN = `mutation ($code: String!) { joinSession(securityCode: $code) { ${SESSION} } }`;
const RESPOND = `mutation ($id: ID!, $accept: Boolean!) { respondToSession(sessionId: $id, accept: $accept) { ${SESSION} } }`;
const END = `mutation ($id: ID!) { endSession(sessionId: $id) { ${SESSION} } }`;
const CHAT = `mutation ($id: ID!, $text: String!) { sendChatMessage(sessionId: $id, text: $text) { id text } }`;
const CHAT_FEED = 'subscription ($id: ID!) { chatMessages(sessionId: $id) { id text from { id } } }';
const COUNT = 'subscription { activeSessionCount { tenantId count } }';
const HEARTBEAT = `mutation ($id: ID!) { heartbeat(sessionId: $id) { id state } }`;
const REPORT = 'query ($filter: SessionRecordFilter, $first: Int) { remoteHelpSessions(filter: $filter, first: $first) { totalCount edges { node { sessionId outcome } } } }';
const MONITOR = '{ remoteHelpMonitor { activeSessions totalSessions } }';

type Rec = Record<string, any>;
/** Ten processes start here on a machine that may be busy: gateways get 3 minutes. */
const SLOW_START = { startTimeoutMs: 180_000 };

/** Data of a request to `gateway` that must succeed. */
async function ok(gateway: ExtraGateway, query: string, variables: Record<string, unknown>, token: string): Promise<Rec> {
  const r = await gql(query, variables, token, gateway.url);
  if (r.status !== 200 || r.body.errors?.length || !r.body.data) throw new Error(`${gateway.url}: ${r.status} ${JSON.stringify(r.body.errors)}`);
  return r.body.data;
}

/** Waits until a gateway's `/health/ready` answers 200 (subgraphs reachable, its Kafka feed joined, its chat stream connected). */
async function ready(gateway: ExtraGateway) {
  const state = await eventually(
    () =>
      fetch(`${gateway.base}/health/ready`).then(
        async (r) => ({ status: r.status, body: (await r.json()) as Rec }),
        () => ({ status: 0, body: {} as Rec }),
      ),
    (s) => s.status === 200 && s.body.chatStream === true,
    180_000,
  );
  if (state.status !== 200 || !state.body.chatStream) throw new Error(`${gateway.base} is not ready: ${JSON.stringify(state)}`);
}

/** Waits until `gateway` runs `n` subscriptions to `field` (they receive from then on). */
async function subscribed(gateway: ExtraGateway, field: string, n: number) {
  expect(
    await eventually(
      () =>
        scrapeValue(gateway.metricsUrl, 'remote_help_graphql_subscriptions', {
          subscription: field,
        }),
      (v) => v >= n,
    ),
  ).toBeGreaterThanOrEqual(n);
}

/** The next payload of `sub` that satisfies `match` (the parties' feeds also carry their own messages). */
async function nextMatching<T>(sub: Subscription<T>, match: (data: T) => boolean): Promise<T> {
  for (;;) {
    const r = await sub.next(15_000);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    if (match(r.data as T)) return r.data as T;
  }
}

/** Waits until the last count a dashboard received is `count`. */
async function countReaches(sub: Subscription<Rec>, count: number) {
  const last = () => Promise.resolve(sub.received.at(-1)?.data?.activeSessionCount?.count);
  expect(await eventually(last, (c) => c === count, 30_000)).toBe(count);
}

const proxies = {} as Record<(typeof SERVICES)[number], RoundRobinProxy>;
let replicas: { name: string; url: string; metricsUrl: string }[] = [];
let a: ExtraGateway;
let b: ExtraGateway;
/** The gateway variables that route every subgraph call through the proxies. */
let throughProxies: Record<string, string> = {};

beforeAll(async () => {
  const urls = serviceUrls();
  for (const s of SERVICES) proxies[s] = await RoundRobinProxy.start([Number(new URL(urls[s]).port)]);
  // The second replicas call tenant-service and rbac-service through the proxies too. On SIGTERM
  // they drain for 2 s (as the chart's 5 s): not ready, so the proxies leave them out, and each
  // answer closes its connection.
  const env = {
    TENANT_SERVICE_INTERNAL_URL: proxies['tenant-service'].url,
    RBAC_SERVICE_INTERNAL_URL: proxies['rbac-service'].url,
    SHUTDOWN_DRAIN_SECONDS: '2',
    SHUTDOWN_GRACE_SECONDS: '20',
  };
  replicas = await Promise.all(SERVICES.map((s) => startReplica(s, 2, env)));
  SERVICES.forEach((s, i) => proxies[s].add(Number(new URL(replicas[i].url).port)));
  throughProxies = Object.fromEntries(SERVICES.map((s) => [URL_ENV[s], `${proxies[s].url}/graphql`]));
  const limits = {
    RATE_LIMIT_SESSION_PER_CALLER: '1000',
    RATE_LIMIT_SESSION_PER_TENANT: '10000',
  };
  [a, b] = await Promise.all([startGateway({ ...throughProxies, ...limits }, SLOW_START), startGateway({ ...throughProxies, ...limits }, SLOW_START)]);
  await Promise.all([ready(a), ready(b)]);
}, 600_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await Promise.all(replicas.map((r) => controlProcess(r.name, 'stop').catch(() => undefined)));
  for (const p of Object.values(proxies)) await p.close();
}, 120_000);

describe('two gateways, two replicas of every service', () => {
  it('a helper on one gateway and a sharer on the other complete a session with chat both ways; the dashboards on both gateways see the same counts', async () => {
    const h = await helpDesk();
    const [ht, st] = [h.helper.token(), h.sharer.token()];
    await accessSettled(h.t, h.helper.id, h.deviceId);
    const dashboards = [wsClient(h.t.adminToken, a.url), wsClient(h.t.adminToken, b.url)];
    const counts = dashboards.map((c) => subscribe<Rec>(c, COUNT));
    for (const c of counts)
      expect((await c.next()).data!.activeSessionCount).toEqual({
        tenantId: h.t.tenantId,
        count: 0,
      });

    const { requestSession } = await ok(a, REQUEST, { input: { deviceId: h.deviceId, mode: 'FULL_CONTROL' } }, ht);
    const id = requestSession.session.id;
    await ok(b, JOIN, { code: requestSession.session.securityCode }, st);
    expect((await ok(b, RESPOND, { id, accept: true }, st)).respondToSession.state).toBe('ACTIVE');
    for (const c of counts)
      expect((await c.next(15_000)).data!.activeSessionCount).toEqual({
        tenantId: h.t.tenantId,
        count: 1,
      });
    // The parties' apps send heartbeats (an active session without them ends as DISCONNECTED, after 10 s in these tests).
    const heartbeats = setInterval(() => {
      void gql(HEARTBEAT, { id }, ht, a.url).catch(() => undefined);
      void gql(HEARTBEAT, { id }, st, b.url).catch(() => undefined);
    }, 2_000);
    // Chat: the helper's feed on gateway A, the sharer's on gateway B; whichever session-service
    // replica a message is sent through, it reaches both (PostgreSQL NOTIFY between the replicas).
    const helperWs = wsClient(ht, a.url);
    const sharerWs = wsClient(st, b.url);
    try {
      const toHelper = subscribe<Rec>(helperWs, CHAT_FEED, { id });
      const toSharer = subscribe<Rec>(sharerWs, CHAT_FEED, { id });
      await subscribed(a, 'chatMessages', 1);
      await subscribed(b, 'chatMessages', 1);
      for (let i = 0; i < 4; i++) {
        // Four each way: through both session-service replicas, whatever the proxy's turn.
        await ok(a, CHAT, { id, text: `helper says ${i}` }, ht);
        expect(await nextMatching(toSharer, (d) => d.chatMessages.text === `helper says ${i}`)).toMatchObject({ chatMessages: { from: { id: h.helper.id } } });
        await ok(b, CHAT, { id, text: `sharer says ${i}` }, st);
        expect(await nextMatching(toHelper, (d) => d.chatMessages.text === `sharer says ${i}`)).toMatchObject({ chatMessages: { from: { id: h.sharer.id } } });
      }
    } finally {
      clearInterval(heartbeats);
    }

    expect((await ok(a, END, { id }, ht)).endSession.state).toBe('ENDED');
    for (const c of counts) expect((await c.next(15_000)).data!.activeSessionCount.count).toBe(0);
    await Promise.all([...dashboards, helperWs, sharerWs].map(async (c) => c.dispose()));
  }, 120_000);

  it('200 sessions over both gateways, one replica of each service stopped by SIGTERM on the way: every request answered, every replica exits 0, reports exact, dashboards agree', async () => {
    const SESSIONS = 200;
    const WORKERS = 4;
    const h = await helpDesk();
    const [ht, st] = [h.helper.token(), h.sharer.token()];
    // A device per worker, each with one live session at a time.
    const devices = [h.deviceId, ...(await Promise.all(Array.from({ length: WORKERS - 1 }, () => createDevice(h.t, { primaryUserId: h.sharer.id }))))];
    for (const d of devices) await accessSettled(h.t, h.helper.id, d, 'VIEW_ONLY');
    const dashboards = [wsClient(h.t.adminToken, a.url), wsClient(h.t.adminToken, b.url)];
    const counts = dashboards.map((c) => subscribe<Rec>(c, COUNT));
    for (const c of counts) expect((await c.next()).data!.activeSessionCount.count).toBe(0);
    const servedBefore = SERVICES.map((s, i) => proxies[s].connections.get(Number(new URL(replicas[i].url).port)) ?? 0);

    const failures: string[] = [];
    const created: string[] = [];
    let done = 0;
    let stopped: Promise<string[]> | undefined;
    /** A request that must succeed; a failure is recorded (with what it answered) and ends that session. */
    const step = async (what: string, gateway: ExtraGateway, query: string, variables: Record<string, unknown>, token: string, ok: (d: Rec) => boolean) => {
      const r = await gql<Rec>(query, variables, token, gateway.url).catch(
        (e: Error) =>
          ({
            status: 0,
            body: { errors: [{ message: e.message }] },
          }) as GqlResponse<Rec>,
      );
      if (r.status === 200 && !r.body.errors && r.body.data && ok(r.body.data)) return r.body.data;
      failures.push(`${what}: ${r.status} ${JSON.stringify(r.body.errors ?? r.body.data)}`);
      return undefined;
    };
    const worker = async (w: number) => {
      for (let i = w; i < SESSIONS; i += WORKERS) {
        // The helper on one gateway, the sharer on the other.
        const [helperSide, sharerSide] = i % 2 ? [a, b] : [b, a];
        const requested = await step(`requestSession ${i}`, helperSide, REQUEST, { input: { deviceId: devices[w], mode: 'VIEW_ONLY' } }, ht, (d) => !!d.requestSession.session);
        if (!requested) continue;
        const { id, securityCode } = requested.requestSession.session;
        created.push(id);
        if (await step(`joinSession ${i}`, sharerSide, JOIN, { code: securityCode }, st, (d) => d.joinSession.state === 'PENDING_CONSENT')) {
          await step(`respondToSession ${i}`, sharerSide, RESPOND, { id, accept: true }, st, (d) => d.respondToSession.state === 'ACTIVE');
        }
        await step(`endSession ${i}`, helperSide, END, { id }, ht, (d) => d.endSession.state === 'ENDED');
        // A third of the way: SIGTERM to the second replica of every service, while the load goes on.
        if (++done === Math.round(SESSIONS / 3)) stopped = Promise.all(replicas.map((rep) => controlProcess(rep.name, 'stop', 'SIGTERM')));
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    const exitCodes = await stopped;

    expect(failures).toEqual([]);
    expect(created).toHaveLength(SESSIONS);
    // Each replica stopped by itself (exit 0: drained, requests finished, consumers out of their groups).
    expect(exitCodes).toEqual(['0', '0', '0', '0']);
    // The second replica of every service had served before.
    expect(Object.fromEntries(SERVICES.map((s, i) => [s, servedBefore[i] > 0]))).toEqual(Object.fromEntries(SERVICES.map((s) => [s, true])));

    // No event lost, none applied twice: the report holds exactly the 200 sessions, each ended.
    const report = await eventually(
      () => ok(a, REPORT, { filter: { providerId: h.helper.id }, first: SESSIONS }, h.t.adminToken),
      (d) => d.remoteHelpSessions.totalCount === SESSIONS && d.remoteHelpSessions.edges.every((e: Rec) => e.node.outcome === 'ENDED'),
      60_000,
    );
    expect(report.remoteHelpSessions.totalCount).toBe(SESSIONS);
    expect(report.remoteHelpSessions.edges.map((e: Rec) => e.node.sessionId).sort()).toEqual([...created].sort());
    expect(report.remoteHelpSessions.edges.filter((e: Rec) => e.node.outcome !== 'ENDED')).toEqual([]);
    expect((await ok(b, MONITOR, {}, h.t.adminToken)).remoteHelpMonitor).toEqual({ activeSessions: 0, totalSessions: SESSIONS });
    // Both dashboards saw sessions come and go, and end at 0.
    for (const c of counts) {
      await countReaches(c, 0);
      expect(Math.max(...c.received.map((r) => r.data!.activeSessionCount.count as number))).toBeGreaterThanOrEqual(1);
    }
    await Promise.all(dashboards.map(async (c) => c.dispose()));
  }, 240_000);
});

describe('rate limits across gateways', () => {
  const N = 6;
  let r1: ExtraGateway;
  let r2: ExtraGateway;
  beforeAll(async () => {
    // Two more gateways with a small per-caller limit, sharing their counts every 100 ms.
    const env = {
      ...throughProxies,
      RATE_LIMIT_PER_CALLER: String(N),
      RATE_LIMIT_SYNC_MS: '100',
      SHUTDOWN_DRAIN_SECONDS: '3',
    };
    [r1, r2] = await Promise.all([startGateway(env, SLOW_START), startGateway(env, SLOW_START)]);
    await Promise.all([ready(r1), ready(r2)]);
  }, 400_000);
  afterAll(async () => {
    await Promise.all([r1?.stop(), r2?.stop()]);
  }, 60_000);

  it('a limit of N refuses the N+1st request of a caller, whichever gateways the N went through', async () => {
    const t = newTenant();
    for (let i = 0; i < N; i++) {
      const r = await gql('{ me { id } }', {}, t.adminToken, (i % 2 ? r2 : r1).url);
      expect({ i, status: r.status, errors: r.body.errors }).toEqual({
        i,
        status: 200,
        errors: undefined,
      });
    }
    // Each gateway has the other's N/2 requests (a point each from the caller's and the tenant's budgets).
    for (const g of [r1, r2])
      expect(
        await eventually(
          () => scrapeValue(g.metricsUrl, 'remote_help_rate_limit_peer_points_total'),
          (p) => p >= N,
        ),
      ).toBeGreaterThanOrEqual(N);
    for (const g of [r1, r2]) {
      const r = await gql('{ me { id } }', {}, t.adminToken, g.url);
      expect({ status: r.status, codes: errorCodes(r) }).toEqual({
        status: 429,
        codes: ['RATE_LIMITED'],
      });
    }
    // Another caller of another tenant is not held back.
    const other = newTenant();
    expect((await gql('{ me { id } }', {}, other.adminToken, r1.url)).status).toBe(200);
  }, 90_000);

  it('SIGTERM to a gateway: readiness turns false while it still serves, its WebSocket clients are closed with 1001 (graphql-ws reconnects), and it exits 0', async () => {
    const t = newTenant();
    const client = wsClient(t.adminToken, r2.url);
    const dashboard = subscribe<Rec>(client, COUNT);
    expect((await dashboard.next()).data!.activeSessionCount.count).toBe(0);
    const exit = r2.stop();
    // Draining (SHUTDOWN_DRAIN_SECONDS): not ready, yet alive and serving.
    const readiness = await eventually(
      () =>
        fetch(`${r2.base}/health/ready`).then(
          (r) => r.status,
          () => 0,
        ),
      (s) => s !== 200,
      10_000,
    );
    expect(readiness).toBe(503);
    expect((await fetch(`${r2.base}/health/live`)).status).toBe(200);
    expect((await gql('{ me { id } }', {}, t.adminToken, r2.url)).status).toBe(200);
    // Then the WebSocket clients are closed with 1001 Going Away, which graphql-ws retries (on another replica behind a Service).
    expect(((await dashboard.ended) as { code?: number }).code).toBe(1001);
    expect(await exit).toBe(0);
    await client.dispose();
  });
});
