import type { GqlResponse } from './support/client';
import { errorCodes, eventually, gql, gqlOk, newTenant, tokenFor } from './support/client';
import { assignRole, checkAccess, createDevice, createGroup, createUser, enableRemoteHelp, helpDesk, roleId, type Tenant } from './support/fixtures';
import { subscribe, wsClient } from './support/ws';

/**
 * Live Remote Help sessions through the gateway, with real tokens: request, join with the code,
 * consent, control, elevation, chat, heartbeats, end; unattended sessions on dedicated devices;
 * every refusal; the timers (shortened for the run in support/e2e-env.mjs); and racing answers.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a JavaScript module without types, shared with the global setup.
const { E2E_ENV_FOR } = require('./support/e2e-env.mjs') as { E2E_ENV_FOR: Record<string, Record<string, string>> };
const TIMERS = E2E_ENV_FOR['session-service'];
const JOIN_MS = Number(TIMERS.SESSION_JOIN_TIMEOUT_MS);
const CONSENT_MS = Number(TIMERS.SESSION_CONSENT_TIMEOUT_MS);
const UNATTENDED_MS = Number(TIMERS.SESSION_UNATTENDED_START_MS);
const HEARTBEAT_MS = Number(TIMERS.SESSION_HEARTBEAT_TIMEOUT_MS);

const PROFILE = 'profile { displayName givenName surname jobTitle companyName verifiedDomain }';
const SESSION = `id state mode elevated chatEnabled securityCode reason pendingControlRequest deviceEnrolled requestedAt startedAt endedAt endReason
  helper { id } sharer { id } device { id } complianceWarning { deviceId compliance message }`;
const REQUEST = `mutation ($input: RequestSessionInput!) { requestSession(input: $input) {
  session { ${SESSION} } decision { allowed reasons grantedPermissions } complianceWarning { deviceId compliance message } warnings } }`;
const JOIN = `mutation ($code: String!) { joinSession(securityCode: $code) { ${SESSION} } }`;
const READ = `query ($id: ID!) { session(id: $id) { ${SESSION} } }`;
const RESPOND = `mutation ($id: ID!, $accept: Boolean!) { respondToSession(sessionId: $id, accept: $accept) { ${SESSION} } }`;
const CONTROL = `mutation ($id: ID!, $mode: SessionMode!) { requestControlChange(sessionId: $id, mode: $mode) { ${SESSION} } }`;
const ANSWER_CONTROL = `mutation ($id: ID!, $accept: Boolean!) { respondToControlRequest(sessionId: $id, accept: $accept) { ${SESSION} } }`;
const ELEVATE = `mutation ($id: ID!) { requestElevation(sessionId: $id) { ${SESSION} } }`;
const CHAT = `mutation ($id: ID!, $text: String!) { sendChatMessage(sessionId: $id, text: $text) { id sessionId from { id } text sentAt } }`;
const HEARTBEAT = `mutation ($id: ID!) { heartbeat(sessionId: $id) { id state } }`;
const END = `mutation ($id: ID!) { endSession(sessionId: $id) { ${SESSION} } }`;
const TERMINATE = `mutation ($id: ID!) { terminateSession(sessionId: $id) { ${SESSION} } }`;

type Session = Record<string, any>;
type Payload = { session: Session | null; decision: { allowed: boolean; reasons: string[]; grantedPermissions: string[] }; complianceWarning: Record<string, string> | null; warnings: string[] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function request(token: string, input: Record<string, unknown>): Promise<Payload> {
  return (await gqlOk<{ requestSession: Payload }>(REQUEST, { input }, token)).requestSession;
}

async function mutate(query: string, variables: Record<string, unknown>, token: string): Promise<Session> {
  const data = await gqlOk<Record<string, Session>>(query, variables, token);
  return Object.values(data)[0];
}

async function read(id: string, token: string): Promise<Session | null> {
  return (await gqlOk<{ session: Session | null }>(READ, { id }, token)).session;
}

/** rbac-service learns the directory from events: wait until its decision says so (a device it does not know yet is NOT_FOUND). */
async function decided(t: Tenant, helperId: string, deviceId: string, mode: string, ok: (d: { allowed: boolean; reasons: string[] }) => boolean) {
  const ask = () => checkAccess(t, helperId, deviceId, mode).catch(() => null);
  const d = await eventually(ask, (x) => x !== null && ok(x), 20_000);
  if (!d || !ok(d)) throw new Error(`the decision did not settle: ${JSON.stringify(d)}`);
  return d;
}
const allowed = (d: { allowed: boolean }) => d.allowed;

async function waitForState(id: string, token: string, state: string, timeoutMs: number): Promise<Session> {
  const s = await eventually(
    () => read(id, token),
    (x) => x?.state === state,
    timeoutMs,
  );
  if (s?.state !== state) throw new Error(`session ${id} is ${s?.state}, not ${state}`);
  return s;
}

/** Both parties' heartbeats while a test works in an active session. */
function keepAlive(id: string, tokens: string[]) {
  const timer = setInterval(
    () => {
      for (const t of tokens) void gql(HEARTBEAT, { id }, t).catch(() => undefined);
    },
    Math.max(500, HEARTBEAT_MS / 5),
  );
  return () => clearInterval(timer);
}

const code = (r: GqlResponse) => errorCodes(r)[0];

describe('an attended session', () => {
  it('goes from request to end: code, profiles both ways, consent, full control with a second consent, elevation, chat, end', async () => {
    const { t, helper, sharer, deviceId } = await helpDesk();
    const [ht, st] = [helper.token(), sharer.token()];
    await decided(t, helper.id, deviceId, 'FULL_CONTROL', allowed);

    // Request: a code for the helper only.
    const p = await request(ht, { deviceId, mode: 'VIEW_ONLY', reason: 'INC-1001 printer' });
    expect(p.decision).toEqual({ allowed: true, reasons: [], grantedPermissions: ['VIEW_SCREEN', 'TAKE_FULL_CONTROL', 'ELEVATION', 'UNATTENDED_CONTROL', 'OFFER_REMOTE_ASSISTANCE'] });
    expect(p.complianceWarning).toBeNull();
    expect(p.warnings).toEqual([]);
    const s = p.session!;
    expect(s).toMatchObject({
      state: 'WAITING_FOR_SHARER',
      mode: 'VIEW_ONLY',
      elevated: false,
      chatEnabled: true,
      reason: 'INC-1001 printer',
      deviceEnrolled: true,
      helper: { id: helper.id },
      sharer: null,
      device: { id: deviceId },
      startedAt: null,
      endedAt: null,
      endReason: null,
    });
    expect(s.securityCode).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
    expect((await read(s.id, ht))!.securityCode).toBeNull(); // shown once
    expect(await read(s.id, st)).toBeNull(); // not a party yet

    // Join: the sharer sees the helper's organisation profile, the helper the sharer's.
    const joined = await mutate(JOIN, { code: s.securityCode.toLowerCase().replace(/(.{4})/, '$1-') }, st);
    expect(joined).toMatchObject({ id: s.id, state: 'PENDING_CONSENT', sharer: { id: sharer.id }, securityCode: null });
    const { session: asSharer } = await gqlOk<{ session: Session }>(`query ($id: ID!) { session(id: $id) { helper { id ${PROFILE} } } }`, { id: s.id }, st);
    expect(asSharer.helper.profile).toMatchObject({ displayName: expect.stringContaining('helper'), jobTitle: 'Help desk', companyName: 'Contoso', verifiedDomain: t.domain });
    const { session: asHelper } = await gqlOk<{ session: Session }>(`query ($id: ID!) { session(id: $id) { sharer { id ${PROFILE} } } }`, { id: s.id }, ht);
    expect(asHelper.sharer.profile).toMatchObject({ displayName: expect.stringContaining('sharer'), jobTitle: 'Engineer', companyName: 'Contoso', verifiedDomain: t.domain });

    // Consent: never by the helper.
    expect(code(await gql(RESPOND, { id: s.id, accept: true }, ht))).toBe('FORBIDDEN');
    const active = await mutate(RESPOND, { id: s.id, accept: true }, st);
    expect(active).toMatchObject({ state: 'ACTIVE', startedAt: expect.any(String) });
    const stop = keepAlive(s.id, [ht, st]);
    try {
      // Full control needs the sharer's second consent; elevation needs full control.
      expect(code(await gql(ELEVATE, { id: s.id }, ht))).toBe('CONFLICT');
      expect(await mutate(CONTROL, { id: s.id, mode: 'FULL_CONTROL' }, ht)).toMatchObject({ mode: 'VIEW_ONLY', pendingControlRequest: 'FULL_CONTROL' });
      expect(code(await gql(ANSWER_CONTROL, { id: s.id, accept: true }, ht))).toBe('FORBIDDEN');
      expect(await mutate(ANSWER_CONTROL, { id: s.id, accept: true }, st)).toMatchObject({ mode: 'FULL_CONTROL', pendingControlRequest: null });
      expect(await mutate(ELEVATE, { id: s.id }, ht)).toMatchObject({ elevated: true });
      expect(code(await gql(ELEVATE, { id: s.id }, ht))).toBe('CONFLICT');

      // Chat both ways, over the subscription too.
      const client = wsClient(st);
      const sub = subscribe<{ chatMessages: { text: string; from: { id: string } } }>(client, 'subscription ($id: ID!) { chatMessages(sessionId: $id) { id sessionId text sentAt from { id } } }', { id: s.id });
      await sleep(500);
      const msg = await mutate(CHAT, { id: s.id, text: 'Hello, I can see your screen.' }, ht);
      expect(msg).toMatchObject({ sessionId: s.id, from: { id: helper.id }, text: 'Hello, I can see your screen.', sentAt: expect.any(String) });
      const pushed = await sub.next(10_000);
      expect(pushed.data?.chatMessages).toMatchObject({ text: 'Hello, I can see your screen.', from: { id: helper.id } });
      await sub.close();
      await client.dispose();
      expect(await mutate(CHAT, { id: s.id, text: 'Thanks!' }, st)).toMatchObject({ from: { id: sharer.id } });
      expect(code(await gql(CHAT, { id: s.id, text: 'x'.repeat(4001) }, ht))).toBe('BAD_USER_INPUT');
      expect(code(await gql(CHAT, { id: s.id, text: '' }, ht))).toBe('BAD_USER_INPUT');

      // Back to view-only at once.
      expect(await mutate(CONTROL, { id: s.id, mode: 'VIEW_ONLY' }, ht)).toMatchObject({ mode: 'VIEW_ONLY', pendingControlRequest: null });
    } finally {
      stop();
    }

    // End: stays readable by both parties.
    const ended = await mutate(END, { id: s.id }, ht);
    expect(ended).toMatchObject({ state: 'ENDED', endReason: 'HELPER_ENDED', endedAt: expect.any(String), elevated: true });
    expect(await read(s.id, st)).toMatchObject({ state: 'ENDED', endReason: 'HELPER_ENDED' });
    expect(code(await gql(HEARTBEAT, { id: s.id }, st))).toBe('CONFLICT');
    expect(code(await gql(END, { id: s.id }, st))).toBe('CONFLICT');
    const { mySessions } = await gqlOk<{ mySessions: { id: string }[] }>('{ mySessions(states: [ENDED]) { id } }', {}, st);
    expect(mySessions.map((x) => x.id)).toContain(s.id);
  });

  it('pushes every change to the parties only (sessionUpdated)', async () => {
    const { t, helper, sharer, deviceId } = await helpDesk();
    const [ht, st] = [helper.token(), sharer.token()];
    await decided(t, helper.id, deviceId, 'VIEW_ONLY', allowed);
    const { session } = await request(ht, { deviceId, mode: 'VIEW_ONLY' });
    const client = wsClient(ht);
    const sub = subscribe<{ sessionUpdated: { id: string; state: string } }>(client, 'subscription ($id: ID!) { sessionUpdated(sessionId: $id) { id state sharer { id } } }', { id: session!.id });
    await sleep(500);
    await mutate(JOIN, { code: session!.securityCode }, st);
    let update = (await sub.next(10_000)).data?.sessionUpdated;
    // The request's own update is relayed through the outbox and Kafka: on a busy machine it can
    // reach the gateway after the subscription has started. Then it comes first.
    if (update?.state === 'WAITING_FOR_SHARER') update = (await sub.next(10_000)).data?.sessionUpdated;
    expect(update).toMatchObject({ id: session!.id, state: 'PENDING_CONSENT' });
    await mutate(RESPOND, { id: session!.id, accept: false }, st);
    expect((await sub.next(10_000)).data?.sessionUpdated).toMatchObject({ state: 'DECLINED' });
    await sub.close();
    await client.dispose();
    // a stranger of the tenant may not watch
    const stranger = wsClient(t.adminToken);
    const refused = subscribe(stranger, 'subscription ($id: ID!) { sessionUpdated(sessionId: $id) { id } }', { id: session!.id });
    expect(JSON.stringify(await Promise.race([refused.next(5000).then((r) => r.errors), refused.ended]))).toMatch(/not found/i);
    await stranger.dispose();
  });
});

describe('an unattended session on an Android dedicated device', () => {
  it('starts at once when the device accepts, or by itself after the countdown', async () => {
    const t = newTenant();
    await enableRemoteHelp(t);
    const helper = await createUser(t, { name: 'helper' });
    const kiosk = await createDevice(t, { platform: 'ANDROID_DEDICATED', osVersion: '13', manufacturer: 'Samsung', primaryUserId: null, displayName: 'Kiosk' });
    const helpers = await createGroup(t, 'USERS', { userIds: [helper.id] });
    await assignRole(t, { roleId: await roleId(t, 'Help Desk Operator'), adminGroupIds: [helpers], scopeAllUsers: true, scopeAllDevices: true });
    const ht = helper.token();
    await decided(t, helper.id, kiosk, 'UNATTENDED', allowed);
    const dt = tokenFor(t.tenantId, { device: kiosk });

    // A device cannot act as a helper.
    expect(code(await gql(REQUEST, { input: { deviceId: kiosk, mode: 'UNATTENDED' } }, dt))).toBe('FORBIDDEN');

    const first = await request(ht, { deviceId: kiosk, mode: 'UNATTENDED', reason: 'kiosk frozen' });
    expect(first.session).toMatchObject({ state: 'PENDING_CONSENT', mode: 'UNATTENDED', securityCode: null, sharer: null, device: { id: kiosk } });
    const id = first.session!.id;
    // The device sees it (its countdown) and accepts: active at once.
    expect(await read(id, dt)).toMatchObject({ id, state: 'PENDING_CONSENT' });
    const { mySessions } = await gqlOk<{ mySessions: { id: string }[] }>('{ mySessions { id } }', {}, dt);
    expect(mySessions.map((x) => x.id)).toContain(id);
    expect(await mutate(RESPOND, { id, accept: true }, dt)).toMatchObject({ state: 'ACTIVE', startedAt: expect.any(String) });
    // No control modes, no chat, no elevation on Android; the device does not answer control requests.
    expect(code(await gql(CONTROL, { id, mode: 'VIEW_ONLY' }, ht))).toBe('CONFLICT');
    expect(code(await gql(CHAT, { id, text: 'hi' }, ht))).toBe('FORBIDDEN');
    expect(code(await gql(ELEVATE, { id }, ht))).toBe('FORBIDDEN');
    expect((await mutate(HEARTBEAT, { id }, dt)).state).toBe('ACTIVE');
    expect(await mutate(END, { id }, dt)).toMatchObject({ state: 'ENDED', endReason: 'SHARER_ENDED' });

    // Nobody accepts: it starts by itself after the countdown.
    const second = await request(ht, { deviceId: kiosk, mode: 'UNATTENDED' });
    const started = await waitForState(second.session!.id, ht, 'ACTIVE', UNATTENDED_MS + 5000);
    expect(new Date(started.startedAt).getTime() - new Date(started.requestedAt).getTime()).toBeGreaterThanOrEqual(UNATTENDED_MS - 50);
    expect(await mutate(END, { id: second.session!.id }, ht)).toMatchObject({ state: 'ENDED', endReason: 'HELPER_ENDED' });
  });
});

describe('refusals', () => {
  it('denies a request with every reason and creates no session', async () => {
    const t = newTenant(); // Remote Help still off
    const helper = await createUser(t, { name: 'helper', licensed: false });
    const sharer = await createUser(t, { name: 'sharer' });
    const deviceId = await createDevice(t, { primaryUserId: sharer.id });
    const ht = helper.token();
    await eventually(
      () => gql(REQUEST, { input: { deviceId, mode: 'VIEW_ONLY' } }, ht),
      (r) => !errorCodes(r).includes('NOT_FOUND'),
    );
    const p = await request(ht, { deviceId, mode: 'VIEW_ONLY' });
    expect(p.session).toBeNull();
    expect(p.decision).toMatchObject({ allowed: false, reasons: expect.arrayContaining(['REMOTE_HELP_DISABLED', 'HELPER_NOT_LICENSED', 'MISSING_PERMISSION']) });
    const { mySessions } = await gqlOk<{ mySessions: unknown[] }>('{ mySessions { id } }', {}, ht);
    expect(mySessions).toEqual([]);
  });

  it('denies out of scope, missing permissions, unsupported modes; NOT_FOUND for unknown devices; BAD_USER_INPUT for a long reason', async () => {
    const { t, helper, sharer, deviceId } = await helpDesk();
    const ht = helper.token();
    // A helper whose role reaches only one group of devices.
    const viewer = await createUser(t, { name: 'viewer' });
    const scoped = await createDevice(t, { primaryUserId: sharer.id });
    const scope = await createGroup(t, 'MIXED', { userIds: [sharer.id], deviceIds: [scoped] });
    const viewers = await createGroup(t, 'USERS', { userIds: [viewer.id] });
    const { createRole } = await gqlOk<{ createRole: { id: string } }>(
      'mutation ($input: CreateRoleInput!) { createRole(input: $input) { id } }',
      { input: { displayName: 'Viewers', permissions: ['VIEW_SCREEN', 'OFFER_REMOTE_ASSISTANCE'] } },
      t.adminToken,
    );
    await assignRole(t, { roleId: createRole.id, adminGroupIds: [viewers], scopeGroupIds: [scope] });
    await decided(t, viewer.id, scoped, 'VIEW_ONLY', allowed);
    const vt = viewer.token();

    expect((await request(vt, { deviceId, mode: 'VIEW_ONLY' })).decision.reasons).toEqual(['TARGET_OUT_OF_SCOPE']);
    expect((await request(vt, { deviceId: scoped, mode: 'FULL_CONTROL' })).decision.reasons).toEqual(['MISSING_PERMISSION']);
    await decided(t, helper.id, deviceId, 'VIEW_ONLY', allowed);
    const unattended = await request(ht, { deviceId, mode: 'UNATTENDED' });
    expect(unattended.session).toBeNull();
    expect(unattended.decision.reasons).toEqual(expect.arrayContaining(['UNSUPPORTED_PLATFORM', 'UNATTENDED_REQUIRES_NO_USER']));

    expect(code(await gql(REQUEST, { input: { deviceId: '00000000-0000-4000-8000-000000000000', mode: 'VIEW_ONLY' } }, ht))).toBe('NOT_FOUND');
    expect(code(await gql(REQUEST, { input: { deviceId, mode: 'VIEW_ONLY', reason: 'x'.repeat(501) } }, ht))).toBe('BAD_USER_INPUT');

    // A viewer's session: no full control, no elevation (the decision is asked again).
    const p = await request(vt, { deviceId: scoped, mode: 'VIEW_ONLY' });
    await mutate(JOIN, { code: p.session!.securityCode }, sharer.token());
    await mutate(RESPOND, { id: p.session!.id, accept: true }, sharer.token());
    const r = await gql(CONTROL, { id: p.session!.id, mode: 'FULL_CONTROL' }, vt);
    expect(code(r)).toBe('FORBIDDEN');
    expect(r.body.errors![0].extensions!.reasons).toEqual(['MISSING_PERMISSION']);
    expect(await read(p.session!.id, vt)).toMatchObject({ mode: 'VIEW_ONLY', pendingControlRequest: null });
    await mutate(END, { id: p.session!.id }, vt);
  });

  it('warns about a non-compliant device and goes on only when the helper acknowledges it', async () => {
    const { t, helper, sharer } = await helpDesk();
    const deviceId = await createDevice(t, { primaryUserId: sharer.id, compliance: 'NONCOMPLIANT' });
    await decided(t, helper.id, deviceId, 'VIEW_ONLY', allowed);
    const ht = helper.token();
    const first = await request(ht, { deviceId, mode: 'VIEW_ONLY' });
    expect(first.session).toBeNull();
    expect(first.decision).toMatchObject({ allowed: false, reasons: ['COMPLIANCE_NOT_ACKNOWLEDGED'] });
    expect(first.complianceWarning).toMatchObject({ deviceId, compliance: 'NONCOMPLIANT', message: expect.any(String) });
    const second = await request(ht, { deviceId, mode: 'VIEW_ONLY', acknowledgeComplianceWarning: true });
    expect(second.decision.allowed).toBe(true);
    expect(second.session).toMatchObject({ state: 'WAITING_FOR_SHARER', complianceWarning: { deviceId, compliance: 'NONCOMPLIANT' } });
    await mutate(END, { id: second.session!.id }, ht);
  });

  it('refuses unenrolled devices unless the tenant allows them, then warns without blocking', async () => {
    const { t, helper, sharer, helpersGroupId } = await helpDesk();
    const deviceId = await createDevice(t, { primaryUserId: sharer.id, enrolled: false, entraRegistered: false });
    // "All devices" scopes leave unenrolled devices out: reach this one through a group.
    const scope = await createGroup(t, 'MIXED', { userIds: [sharer.id], deviceIds: [deviceId] });
    await assignRole(t, { roleId: await roleId(t, 'Help Desk Operator'), adminGroupIds: [helpersGroupId], scopeGroupIds: [scope] });
    const ht = helper.token();
    await decided(t, helper.id, deviceId, 'VIEW_ONLY', (d) => d.reasons.join() === 'DEVICE_NOT_ENROLLED');
    const refused = await request(ht, { deviceId, mode: 'VIEW_ONLY' });
    expect(refused).toMatchObject({ session: null, decision: { allowed: false, reasons: ['DEVICE_NOT_ENROLLED'] }, warnings: [] });
    await enableRemoteHelp(t, { allowUnenrolledDevices: true });
    await decided(t, helper.id, deviceId, 'VIEW_ONLY', allowed);
    const p = await request(ht, { deviceId, mode: 'VIEW_ONLY' });
    expect(p.decision.allowed).toBe(true);
    expect(p.session).toMatchObject({ state: 'WAITING_FOR_SHARER', deviceEnrolled: false });
    expect(p.warnings).toEqual([expect.stringMatching(/not enrolled in device management/)]);
    await mutate(END, { id: p.session!.id }, ht);
  });

  it('refuses wrong, used and own codes the same way, an unlicensed sharer, and slows down guessing', async () => {
    const { t, helper, sharer, deviceId } = await helpDesk();
    const [ht, st] = [helper.token(), sharer.token()];
    await decided(t, helper.id, deviceId, 'VIEW_ONLY', allowed);
    const p = await request(ht, { deviceId, mode: 'VIEW_ONLY' });
    const codeOf = p.session!.securityCode;

    expect(code(await gql(JOIN, { code: codeOf }, ht))).toBe('FORBIDDEN'); // the helper's own session
    const unlicensed = await createUser(t, { name: 'unlicensed', licensed: false });
    await eventually(
      () => gql(JOIN, { code: codeOf }, unlicensed.token()),
      (r) => r.body.errors?.[0]?.extensions?.reasons?.includes('SHARER_NOT_LICENSED') ?? false,
    );
    const denied = await gql(JOIN, { code: codeOf }, unlicensed.token());
    expect(code(denied)).toBe('FORBIDDEN');
    expect(denied.body.errors![0].extensions!.reasons).toContain('SHARER_NOT_LICENSED');

    const wrong = await gql(JOIN, { code: 'ABCD2345' }, st);
    expect(code(wrong)).toBe('BAD_USER_INPUT');
    await mutate(JOIN, { code: codeOf }, st);
    const used = await gql(JOIN, { code: codeOf }, (await createUser(t, { name: 'late' })).token());
    expect(code(used)).toBe('BAD_USER_INPUT');
    expect(used.body.errors![0].message).toBe(wrong.body.errors![0].message);

    // A guesser: 5 wrong codes in a minute, then even a right one is refused for a while.
    const guesser = await createUser(t, { name: 'guesser' });
    const gt = guesser.token();
    for (let i = 0; i < 5; i++) expect(errorCodes(await gql(JOIN, { code: `WRONG${i + 2}AA`.slice(0, 8) }, gt))).toEqual(['BAD_USER_INPUT']);
    const fresh = await request(ht, { deviceId, mode: 'VIEW_ONLY' });
    const held = await gql(JOIN, { code: fresh.session!.securityCode }, gt);
    expect(code(held)).toBe('BAD_USER_INPUT');
    expect(held.body.errors![0].message).toMatch(/too many wrong security codes: try again in \d+ seconds/);
    await mutate(END, { id: fresh.session!.id }, ht);
  });

  it('hides sessions from everyone but their parties, and lets only an admin with TERMINATE_SESSIONS end them', async () => {
    const { t, helper, sharer, deviceId } = await helpDesk();
    const [ht, st] = [helper.token(), sharer.token()];
    await decided(t, helper.id, deviceId, 'VIEW_ONLY', allowed);
    const stranger = (await createUser(t, { name: 'stranger' })).token();
    const p = await request(ht, { deviceId, mode: 'VIEW_ONLY' });
    const id = p.session!.id;
    await mutate(JOIN, { code: p.session!.securityCode }, st);
    await mutate(RESPOND, { id, accept: true }, st);

    expect(await read(id, stranger)).toBeNull();
    expect(await read(id, t.adminToken)).toBeNull();
    for (const [q, v] of [
      [RESPOND, { id, accept: false }],
      [END, { id }],
      [HEARTBEAT, { id }],
      [CHAT, { id, text: 'hi' }],
      [ELEVATE, { id }],
    ] as const) {
      const r = await gql(q, v, stranger);
      expect(code(r)).toBe('NOT_FOUND');
      expect(r.body.errors![0].message).toBe('session not found');
    }
    const unknown = await gql(END, { id: '00000000-0000-4000-8000-000000000000' }, ht);
    expect(code(unknown)).toBe('NOT_FOUND');
    expect(code(await gql(END, { id: 'not-a-uuid' }, ht))).toBe('NOT_FOUND');
    // The live view is for READ_REPORTS; ending someone else's session for TERMINATE_SESSIONS.
    expect(code(await gql('{ activeSessions { id } }', {}, ht))).toBe('FORBIDDEN');
    const { activeSessions } = await gqlOk<{ activeSessions: { id: string }[] }>('{ activeSessions { id } }', {}, t.adminToken);
    expect(activeSessions.map((s) => s.id)).toContain(id);
    expect(code(await gql(TERMINATE, { id }, ht))).toBe('FORBIDDEN');
    expect(await mutate(TERMINATE, { id }, t.adminToken)).toMatchObject({ state: 'ENDED', endReason: 'ADMIN_ENDED' });
    expect(code(await gql(TERMINATE, { id }, t.adminToken))).toBe('CONFLICT');
    expect(await read(id, ht)).toMatchObject({ state: 'ENDED', endReason: 'ADMIN_ENDED' });
  });

  it('keeps chat off in sessions of a tenant that disabled it', async () => {
    const t = newTenant();
    await enableRemoteHelp(t, { chatDisabled: true });
    const { helper, sharer, deviceId } = await helpDesk({ tenant: t });
    await enableRemoteHelp(t, { chatDisabled: true });
    const [ht, st] = [helper.token(), sharer.token()];
    await decided(t, helper.id, deviceId, 'VIEW_ONLY', allowed);
    const p = await request(ht, { deviceId, mode: 'VIEW_ONLY' });
    expect(p.session!.chatEnabled).toBe(false);
    await mutate(JOIN, { code: p.session!.securityCode }, st);
    await mutate(RESPOND, { id: p.session!.id, accept: true }, st);
    expect(code(await gql(CHAT, { id: p.session!.id, text: 'hi' }, ht))).toBe('FORBIDDEN');
    await mutate(END, { id: p.session!.id }, st);
  });
});

describe('timers and declines', () => {
  it('declines, expires without a join or without consent, and disconnects without heartbeats', async () => {
    const { t, helper, sharer, deviceId } = await helpDesk();
    const [ht, st] = [helper.token(), sharer.token()];
    await decided(t, helper.id, deviceId, 'VIEW_ONLY', allowed);

    const declined = (await request(ht, { deviceId, mode: 'VIEW_ONLY' })).session!;
    await mutate(JOIN, { code: declined.securityCode }, st);
    expect(await mutate(RESPOND, { id: declined.id, accept: false }, st)).toMatchObject({ state: 'DECLINED', endedAt: expect.any(String), startedAt: null });
    expect(code(await gql(RESPOND, { id: declined.id, accept: true }, st))).toBe('CONFLICT');

    const noJoin = (await request(ht, { deviceId, mode: 'VIEW_ONLY' })).session!;
    const noConsent = (await request(ht, { deviceId, mode: 'VIEW_ONLY' })).session!;
    await mutate(JOIN, { code: noConsent.securityCode }, st);
    const silent = (await request(ht, { deviceId, mode: 'VIEW_ONLY' })).session!;
    await mutate(JOIN, { code: silent.securityCode }, st);
    await mutate(RESPOND, { id: silent.id, accept: true }, st);

    expect(await waitForState(noConsent.id, st, 'EXPIRED', CONSENT_MS + 5000)).toMatchObject({ endReason: 'EXPIRED', endedAt: expect.any(String) });
    expect(code(await gql(RESPOND, { id: noConsent.id, accept: true }, st))).toBe('CONFLICT');
    expect(await waitForState(noJoin.id, ht, 'EXPIRED', JOIN_MS + 5000)).toMatchObject({ endReason: 'EXPIRED' });
    const late = await gql(JOIN, { code: noJoin.securityCode }, st);
    expect(code(late)).toBe('BAD_USER_INPUT');
    expect(late.body.errors![0].message).toMatch(/not valid/);
    expect(await waitForState(silent.id, ht, 'ENDED', HEARTBEAT_MS + 5000)).toMatchObject({ endReason: 'DISCONNECTED' });
  });
});

describe('racing answers', () => {
  it('50 concurrent accept/decline pairs on 50 sessions: each session ends in exactly one state', async () => {
    const t = newTenant();
    await enableRemoteHelp(t);
    // 5 helpers and 5 sharers (the gateway limits requestSession/joinSession per caller).
    const helpers = await Promise.all([0, 1, 2, 3, 4].map(() => createUser(t, { name: 'helper' })));
    const sharers = await Promise.all([0, 1, 2, 3, 4].map(() => createUser(t, { name: 'sharer' })));
    const devices = await Promise.all(sharers.map((s) => createDevice(t, { primaryUserId: s.id })));
    const group = await createGroup(t, 'USERS', { userIds: helpers.map((h) => h.id) });
    await assignRole(t, { roleId: await roleId(t, 'Help Desk Operator'), adminGroupIds: [group], scopeAllUsers: true, scopeAllDevices: true });
    for (let i = 0; i < 5; i++) await decided(t, helpers[i].id, devices[i], 'VIEW_ONLY', allowed);
    const ht = helpers.map((h) => h.token());
    const st = sharers.map((s) => s.token());

    const pairs = Array.from({ length: 50 }, (_, i) => ({ k: i % 5 }));
    const sessions = await Promise.all(pairs.map(({ k }) => request(ht[k], { deviceId: devices[k], mode: 'VIEW_ONLY' }).then((p) => p.session!)));
    // All 50 at once: each session is joined, then accepted and declined at the same moment.
    const results = await Promise.all(
      sessions.map(async (s, i) => {
        const token = st[pairs[i].k];
        await mutate(JOIN, { code: s.securityCode }, token);
        return Promise.all([gql<any>(RESPOND, { id: s.id, accept: true }, token), gql<any>(RESPOND, { id: s.id, accept: false }, token)]);
      }),
    );
    for (let i = 0; i < 50; i++) {
      const [accept, decline] = results[i];
      const winners = [accept, decline].filter((r) => !r.body.errors);
      const losers = [accept, decline].filter((r) => r.body.errors);
      expect(winners).toHaveLength(1);
      expect(losers.map(code)).toEqual(['CONFLICT']);
      const expected = winners[0] === accept ? 'ACTIVE' : 'DECLINED';
      expect(winners[0].body.data.respondToSession.state).toBe(expected);
      expect((await read(sessions[i].id, ht[pairs[i].k]))!.state).toBe(expected);
    }
    // clean up the active ones
    await Promise.all(sessions.map((s, i) => gql(END, { id: s.id }, ht[pairs[i].k])));
  });
});
