import { errorCodes, eventually, gql, gqlOk, newTenant, tokenFor } from './support/client';
import { assignRole, checkAccess, createDevice, createGroup, createUser, enableRemoteHelp, helpDesk, roleId, type Tenant } from './support/fixtures';
import { subscribe, wsClient } from './support/ws';

/**
 * Reports, audit log and live counts through the gateway: reporting-service builds them from the
 * session and audit events that the other services publish through Kafka.
 */

const RECORD = `sessionId provider { id userPrincipalName } recipient { id } recipientDisplay device { id } deviceId sessionType elevationUsed chatUsed
  requestedAt startedAt endedAt durationSeconds outcome reason`;
const SESSIONS = `query ($filter: SessionRecordFilter, $first: Int, $after: String) {
  remoteHelpSessions(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${RECORD} } } } }`;
const MONITOR = `query ($from: DateTime, $to: DateTime) { remoteHelpMonitor(from: $from, to: $to) {
  activeSessions totalSessions averageDurationSeconds sessionsByType { sessionType count } daily { date sessions totalDurationSeconds } } }`;
const AUDIT = `query ($category: String, $first: Int, $after: String) {
  auditEvents(category: $category, first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { id occurredAt category activity actor { id userPrincipalName } actorKind targetId result details } } } }`;
const COUNT = 'subscription { activeSessionCount { tenantId count at } }';

const SESSION = 'id state mode elevated requestedAt startedAt endedAt securityCode';
const REQUEST = `mutation ($input: RequestSessionInput!) { requestSession(input: $input) { session { ${SESSION} } decision { allowed reasons } } }`;
const JOIN = `mutation ($code: String!) { joinSession(securityCode: $code) { ${SESSION} } }`;
const RESPOND = `mutation ($id: ID!, $accept: Boolean!) { respondToSession(sessionId: $id, accept: $accept) { ${SESSION} } }`;
const ELEVATE = `mutation ($id: ID!) { requestElevation(sessionId: $id) { ${SESSION} } }`;
const END = `mutation ($id: ID!) { endSession(sessionId: $id) { ${SESSION} } }`;

type Rec = Record<string, any>;

/** A signed-in user of the tenant with no admin role. */
async function plainUser(t: Tenant) {
  const u = await createUser(t, { name: 'plain' });
  // the user must be known to the gateway's directory lookup before its token works
  const token = u.token();
  await eventually(
    () => gql('{ me { id } }', {}, token),
    (r) => r.body.data?.me?.id === u.id,
  );
  return { ...u, token };
}

async function sessions(token: string, variables: Record<string, unknown> = {}) {
  return (await gqlOk<{ remoteHelpSessions: Rec }>(SESSIONS, variables, token)).remoteHelpSessions;
}

/** rbac-service and session-service learn the directory from events: wait until the decision allows the session. */
async function decided(t: Tenant, helperId: string, deviceId: string, mode: string) {
  const d = await eventually(
    () => checkAccess(t, helperId, deviceId, mode),
    (x) => x.allowed,
    20_000,
  );
  if (!d.allowed) throw new Error(`the decision did not settle: ${JSON.stringify(d)}`);
}

async function mutate(query: string, variables: Record<string, unknown>, token: string): Promise<Rec> {
  return Object.values(await gqlOk<Record<string, Rec>>(query, variables, token))[0];
}

describe('who may read reports', () => {
  it('an administrator (READ_REPORTS, READ_AUDIT_LOG) may; a plain user of the tenant gets FORBIDDEN', async () => {
    const t = newTenant();
    const user = await plainUser(t);
    for (const [query, variables] of [
      [SESSIONS, {}],
      [MONITOR, {}],
      [AUDIT, {}],
      ['{ tenant { activeSessionCount } }', {}],
    ] as const) {
      const r = await gql(query, variables, user.token);
      expect({ query, codes: errorCodes(r) }).toEqual({ query, codes: ['FORBIDDEN'] });
      expect(JSON.stringify(r.body)).not.toMatch(/stack|at .*\.js/);
    }
    // the rest of the tenant stays readable for the plain user
    expect((await gqlOk<{ tenant: { id: string } }>('{ tenant { id } }', {}, user.token)).tenant.id).toBe(t.tenantId);
    // and the live count is refused over the subscription too
    const client = wsClient(user.token);
    const sub = subscribe(client, COUNT);
    const outcome = await Promise.race([sub.next(5000).then((r) => r.errors), sub.ended]);
    expect(JSON.stringify(outcome)).toMatch(/READ_REPORTS/);
    await client.dispose();
  });
});

describe('a new tenant', () => {
  it('has empty reports and a quiet monitor', async () => {
    const t = newTenant();
    expect(await sessions(t.adminToken)).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
    const { remoteHelpMonitor: m } = await gqlOk<{ remoteHelpMonitor: Rec }>(MONITOR, {}, t.adminToken);
    expect(m).toMatchObject({
      activeSessions: 0,
      totalSessions: 0,
      averageDurationSeconds: null,
      sessionsByType: [
        { sessionType: 'VIEW_ONLY', count: 0 },
        { sessionType: 'FULL_CONTROL', count: 0 },
        { sessionType: 'UNATTENDED', count: 0 },
      ],
    });
    // the default range: the 30 days of retention up to now, one entry per UTC date
    expect(m.daily.length).toBeGreaterThanOrEqual(30);
    expect(m.daily[m.daily.length - 1]).toEqual({ date: new Date().toISOString().slice(0, 10), sessions: 0, totalDurationSeconds: 0 });
    expect((await gqlOk<{ tenant: Rec }>('{ tenant { activeSessionCount } }', {}, t.adminToken)).tenant.activeSessionCount).toBe(0);
  });

  it('has its creation in the audit log, and later admin changes with their actor', async () => {
    const t = newTenant();
    const created = await eventually(
      () => gqlOk<{ auditEvents: Rec }>(AUDIT, { category: 'Tenant' }, t.adminToken),
      (d) => d.auditEvents.edges.length > 0,
    );
    expect(created.auditEvents.edges[0].node).toMatchObject({ category: 'Tenant', activity: 'Create tenant', targetId: t.tenantId, result: 'Success', actor: null });
    await enableRemoteHelp(t);
    const changed = await eventually(
      () => gqlOk<{ auditEvents: Rec }>(AUDIT, { category: 'Settings' }, t.adminToken),
      (d) => d.auditEvents.edges.length > 0,
    );
    expect(changed.auditEvents.edges[0].node).toMatchObject({
      activity: 'Update remote help settings',
      actor: { id: t.adminUserId, userPrincipalName: t.adminUpn },
      actorKind: 'user',
      result: 'Success',
    });
    // another tenant sees none of it
    const other = newTenant();
    const theirs = await gqlOk<{ auditEvents: Rec }>(AUDIT, { first: 500 }, other.adminToken);
    expect(theirs.auditEvents.edges.every((e: Rec) => e.node.targetId !== t.tenantId)).toBe(true);
  });
});

describe('paging input', () => {
  it('refuses first beyond 0..500, a foreign or made-up cursor and a malformed id with BAD_USER_INPUT', async () => {
    const t = newTenant();
    const auditCursor = await eventually(
      () => gqlOk<{ auditEvents: Rec }>(AUDIT, { first: 1 }, t.adminToken),
      (d) => d.auditEvents.edges.length > 0,
    );
    for (const variables of [{ first: 501 }, { first: -1 }, { after: 'not-a-cursor' }, { after: auditCursor.auditEvents.edges[0].cursor }, { filter: { providerId: 'nope' } }]) {
      expect({ variables, codes: errorCodes(await gql(SESSIONS, variables, t.adminToken)) }).toEqual({ variables, codes: ['BAD_USER_INPUT'] });
    }
    expect(errorCodes(await gql(AUDIT, { first: 10_000 }, t.adminToken))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(MONITOR, { from: new Date().toISOString(), to: new Date(Date.now() - 3_600_000).toISOString() }, t.adminToken))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('sessions in the reports', () => {
  it('a dashboard sees the count go 0, 1, 0; the session appears in the report and the monitor with its helper, recipient, type, duration and elevation', async () => {
    const { t, helper, sharer, deviceId } = await helpDesk();
    const [ht, st] = [helper.token(), sharer.token()];
    await decided(t, helper.id, deviceId, 'FULL_CONTROL');

    const client = wsClient(t.adminToken);
    const counts = subscribe<{ activeSessionCount: { tenantId: string; count: number } }>(client, COUNT);
    expect((await counts.next()).data!.activeSessionCount).toMatchObject({ tenantId: t.tenantId, count: 0 });

    const { session } = (await gqlOk<{ requestSession: Rec }>(REQUEST, { input: { deviceId, mode: 'FULL_CONTROL', reason: 'INC-77 VPN' } }, ht)).requestSession;
    await mutate(JOIN, { code: session.securityCode }, st);
    await mutate(RESPOND, { id: session.id, accept: true }, st);
    expect((await counts.next(15_000)).data!.activeSessionCount.count).toBe(1);
    await mutate(ELEVATE, { id: session.id }, ht);
    await new Promise((r) => setTimeout(r, 1100)); // a session of at least one second
    const ended = await mutate(END, { id: session.id }, ht);
    expect((await counts.next(15_000)).data!.activeSessionCount.count).toBe(0);
    await counts.close();
    await client.dispose();

    const report = await eventually(
      () => sessions(t.adminToken, { filter: { providerId: helper.id, sessionType: 'FULL_CONTROL' } }),
      (c) => c.edges.some((e: Rec) => e.node.sessionId === session.id && e.node.outcome === 'ENDED'),
    );
    const rec = report.edges.find((e: Rec) => e.node.sessionId === session.id).node;
    const duration = Math.floor((Date.parse(ended.endedAt) - Date.parse(ended.startedAt)) / 1000);
    expect(rec).toMatchObject({
      provider: { id: helper.id, userPrincipalName: helper.upn },
      recipient: { id: sharer.id },
      recipientDisplay: expect.stringContaining('sharer'),
      device: { id: deviceId },
      sessionType: 'FULL_CONTROL',
      elevationUsed: true,
      chatUsed: false,
      startedAt: ended.startedAt,
      endedAt: ended.endedAt,
      durationSeconds: duration,
      outcome: 'ENDED',
      reason: 'INC-77 VPN',
    });
    expect(duration).toBeGreaterThanOrEqual(1);

    const { remoteHelpMonitor: m } = await gqlOk<{ remoteHelpMonitor: Rec }>(MONITOR, {}, t.adminToken);
    expect(m.activeSessions).toBe(0);
    expect(m.sessionsByType.find((x: Rec) => x.sessionType === 'FULL_CONTROL').count).toBeGreaterThanOrEqual(1);
    expect(m.totalSessions).toBe(1);
    expect(m.averageDurationSeconds).toBe(duration);
    expect(m.daily.reduce((n: number, d: Rec) => n + d.sessions, 0)).toBe(1);
    expect(m.daily.find((d: Rec) => d.sessions === 1)).toEqual({ date: ended.requestedAt.slice(0, 10), sessions: 1, totalDurationSeconds: duration });

    // the session actions are in the audit log, by their actors
    const audit = await eventually(
      () => gqlOk<{ auditEvents: Rec }>(AUDIT, { category: 'RemoteHelp', first: 100 }, t.adminToken),
      (d) => d.auditEvents.edges.some((e: Rec) => e.node.activity === 'Start remote help session' && e.node.targetId === session.id),
    );
    const started = audit.auditEvents.edges.find((e: Rec) => e.node.activity === 'Start remote help session' && e.node.targetId === session.id).node;
    expect(started).toMatchObject({ actor: { id: sharer.id }, result: 'Success' });
  });

  it('shows "--" for the recipient of an unattended session on a dedicated device', async () => {
    const t = newTenant();
    await enableRemoteHelp(t);
    const helper = await createUser(t, { name: 'helper' });
    const kiosk = await createDevice(t, { platform: 'ANDROID_DEDICATED', osVersion: '13', manufacturer: 'Samsung', primaryUserId: null, displayName: 'Kiosk' });
    const helpers = await createGroup(t, 'USERS', { userIds: [helper.id] });
    await assignRole(t, { roleId: await roleId(t, 'Help Desk Operator'), adminGroupIds: [helpers], scopeAllUsers: true, scopeAllDevices: true });
    const ht = helper.token();
    await decided(t, helper.id, kiosk, 'UNATTENDED');
    const id = (await gqlOk<{ requestSession: Rec }>(REQUEST, { input: { deviceId: kiosk, mode: 'UNATTENDED' } }, ht)).requestSession.session.id;
    const dt = tokenFor(t.tenantId, { device: kiosk });
    await mutate(RESPOND, { id, accept: true }, dt);
    await mutate(END, { id }, ht);
    const report = await eventually(
      () => sessions(t.adminToken, { filter: { sessionType: 'UNATTENDED' } }),
      (c) => c.edges.some((e: Rec) => e.node.sessionId === id && e.node.outcome === 'ENDED'),
    );
    expect(report.edges.find((e: Rec) => e.node.sessionId === id).node).toMatchObject({
      provider: { id: helper.id },
      recipient: null,
      recipientDisplay: '--',
      device: { id: kiosk },
      sessionType: 'UNATTENDED',
      outcome: 'ENDED',
    });
    expect(report.totalCount).toBe(1);
  });
});
