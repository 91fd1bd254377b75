// The session timers across a crash and two instances, with real processes: session-service's
// built output (`node apps/session-service/dist/main.js`, run `npx nx run-many -t build` first),
// a database of its own on the real PostgreSQL (127.0.0.1:5432, user postgres, dropped at the
// end), a stand-in for rbac-service's access decisions, and no reachable Kafka (the outbox keeps
// every event, so the test counts them exactly).
//
// Sessions wait (for a sharer, for consent, for the unattended start) in instance A, which is
// killed with SIGKILL before any deadline (its deadlines are ten minutes away, so no sweep of A
// can win a race with the test's calls, however slow the machine); the deadlines then pass
// while nothing runs (the test moves the stored due times into the past, in place of waiting
// ten minutes); then two instances B and C start at once against the same database. Every
// session must move exactly once: one event, one audit record, one version step each.
import { createInternalTokenSigner, ensureInternalKeys } from '@remote-help/auth';
import { freePort } from '@remote-help/events/testing';
import { dropDatabase } from '@remote-help/service-kit';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..', '..');
const MAIN = path.join(ROOT, 'apps', 'session-service', 'dist', 'main.js');
const RUN = randomBytes(4).toString('hex');
const DATABASE_URL = `postgres://postgres@127.0.0.1:5432/rh_session_timers_it_${RUN}`;
const TENANT = randomUUID();
const HELPER = randomUUID();
const SHARER = randomUUID();
const PC = randomUUID();
const KIOSK = randomUUID();
/** Instance A's deadlines: far beyond the time its set-up calls take. */
const A_DEADLINE_MS = 600_000;
/** B's and C's: the heartbeat of a started unattended session is lost after this. */
const DEADLINE_MS = 3000;

let dir: string;
let rbac: http.Server;
let rbacUrl: string;
let sign: (caller: object) => Promise<string>;
let db: Client | undefined;
const processes: ChildProcess[] = [];

/** A stand-in for rbac-service's POST /internal/access-decisions: everything allowed. */
function fakeRbac(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const q = JSON.parse(body || '{}');
      if (req.url !== '/internal/access-decisions' || q.tenantId !== TENANT) {
        res.writeHead(404).end();
        return;
      }
      const kiosk = q.deviceId === KIOSK;
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          decision: { allowed: true, reasons: [], grantedPermissions: ['VIEW_SCREEN', 'TAKE_FULL_CONTROL', 'ELEVATION', 'UNATTENDED_CONTROL', 'OFFER_REMOTE_ASSISTANCE'] },
          tenant: { id: TENANT, cloud: 'COMMERCIAL', remoteHelpEnabled: true, allowUnenrolledDevices: false, chatDisabled: false, settingsVersion: 1 },
          device: {
            id: q.deviceId,
            tenantId: TENANT,
            displayName: kiosk ? 'Kiosk' : 'PC',
            platform: kiosk ? 'ANDROID_DEDICATED' : 'WINDOWS',
            osVersion: kiosk ? '13' : '10.0.22631',
            manufacturer: kiosk ? 'Zebra' : 'Contoso',
            enrolled: true,
            entraRegistered: true,
            compliance: 'COMPLIANT',
            primaryUserId: kiosk ? null : SHARER,
            version: 1,
            groupIds: [],
          },
          helper: null,
          targetUser: null,
        }),
      );
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function startInstance(name: string, deadlineMs = DEADLINE_MS): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const log = fs.openSync(path.join(dir, `${name}.log`), 'a');
  const proc = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    stdio: ['ignore', log, log],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(await freePort()),
      DATABASE_URL,
      KAFKA_BROKERS: '127.0.0.1:1', // nothing there: events stay in the outbox
      KAFKA_TOPIC_PREFIX: `it-${RUN}.`,
      INTERNAL_JWT_PUBLIC_KEY_FILE: path.join(dir, 'internal.public.pem'),
      SERVICE_JWT_PRIVATE_KEY_FILE: path.join(dir, 'service.private.pem'),
      SERVICE_JWT_PUBLIC_KEY_FILE: path.join(dir, 'service.public.pem'),
      RBAC_SERVICE_INTERNAL_URL: rbacUrl,
      TENANT_SERVICE_INTERNAL_URL: rbacUrl,
      LOG_LEVEL: 'warn',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      SESSION_JOIN_TIMEOUT_MS: String(deadlineMs),
      SESSION_CONSENT_TIMEOUT_MS: String(deadlineMs),
      SESSION_UNATTENDED_START_MS: String(deadlineMs),
      SESSION_HEARTBEAT_TIMEOUT_MS: String(deadlineMs),
      SESSION_SWEEP_INTERVAL_MS: '20',
    },
  });
  processes.push(proc);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${name} exited (${proc.exitCode}); see ${path.join(dir, `${name}.log`)}`);
    const live = await fetch(`${url}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (live) return { url, proc };
    if (Date.now() > deadline) throw new Error(`${name} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function kill(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill(signal);
  });
}

async function gql(url: string, caller: object, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await sign(caller)}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

const helper = { kind: 'user', tenantId: TENANT, userId: HELPER, upn: 'helper@contoso.com' };
const sharer = { kind: 'user', tenantId: TENANT, userId: SHARER, upn: 'sharer@contoso.com' };
const REQUEST = 'mutation ($input: RequestSessionInput!) { requestSession(input: $input) { session { id state securityCode } decision { allowed reasons } } }';

async function states(ids: string[]): Promise<Record<string, { state: string; end_reason: string | null; version: number }>> {
  const { rows } = await db!.query(`SELECT id, state, end_reason, version FROM sessions WHERE id = ANY($1::uuid[])`, [ids]);
  return Object.fromEntries(rows.map((r) => [r.id, r]));
}

async function eventCounts(ids: string[]): Promise<Record<string, Record<string, number>>> {
  const { rows } = await db!.query(
    // each lifecycle event by its type and the audit line it carries by its activity (and an
    // audit event of its own, were there one, by its activity)
    `SELECT key, what, count(*)::int AS n
     FROM outbox CROSS JOIN LATERAL (VALUES
       (CASE WHEN topic LIKE '%audit%' THEN NULL ELSE payload->>'type' END),
       (CASE WHEN topic LIKE '%audit%' THEN payload->'data'->>'activity' ELSE payload->'data'->'audit'->>'activity' END)) AS v(what)
     WHERE key = ANY($1::text[]) AND what IS NOT NULL GROUP BY 1, 2`,
    [ids],
  );
  const out: Record<string, Record<string, number>> = Object.fromEntries(ids.map((id) => [id, {}]));
  for (const r of rows) out[r.key][r.what] = r.n;
  return out;
}

beforeAll(async () => {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npx nx run-many -t build)`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rh-session-timers-'));
  const internal = await ensureInternalKeys(dir);
  await ensureInternalKeys(dir, 'service');
  const signer = createInternalTokenSigner(internal.privateKeyPem);
  sign = (caller) => signer.sign(caller as never, 'session-service');
  rbac = await fakeRbac();
  rbacUrl = `http://127.0.0.1:${(rbac.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const p of processes) await kill(p, 'SIGKILL');
  await db?.end().catch(() => undefined);
  await new Promise((r) => rbac?.close(r));
  await dropDatabase(DATABASE_URL).catch(() => undefined);
  if (dir && !process.env.RH_KEEP_IT_DATA) fs.rmSync(dir, { recursive: true, force: true });
});

it('fires every timer exactly once after a crash, with two instances sweeping the same database', async () => {
  const a = await startInstance('a', A_DEADLINE_MS);
  const client = new Client({ connectionString: DATABASE_URL });
  db = client;
  await client.connect();

  // Waiting for a sharer (10), waiting for consent (5), unattended waiting to start (5).
  const waiting: string[] = [];
  const pending: string[] = [];
  const unattended: string[] = [];
  for (let i = 0; i < 15; i++) {
    const { requestSession } = await gql(a.url, helper, REQUEST, { input: { deviceId: PC, mode: 'VIEW_ONLY', reason: `INC-${i}` } });
    expect(requestSession.session).toMatchObject({ state: 'WAITING_FOR_SHARER', securityCode: expect.stringMatching(/^[A-Z2-9]{8}$/) });
    if (i < 10) {
      waiting.push(requestSession.session.id);
    } else {
      const { joinSession } = await gql(a.url, sharer, 'mutation ($c: String!) { joinSession(securityCode: $c) { id state } }', { c: requestSession.session.securityCode });
      expect(joinSession.state).toBe('PENDING_CONSENT');
      pending.push(joinSession.id);
    }
  }
  for (let i = 0; i < 5; i++) {
    const { requestSession } = await gql(a.url, helper, REQUEST, { input: { deviceId: KIOSK, mode: 'UNATTENDED' } });
    expect(requestSession.session).toMatchObject({ state: 'PENDING_CONSENT', securityCode: null });
    unattended.push(requestSession.session.id);
  }
  const all = [...waiting, ...pending, ...unattended];

  // The crash: no graceful shutdown, well before the first deadline.
  await kill(a.proc, 'SIGKILL');
  const stored = (await db!.query(`SELECT count(*)::int AS n FROM sessions WHERE id = ANY($1::uuid[]) AND due_at > now() + interval '1 minute'`, [all])).rows[0].n;
  expect(stored).toBe(all.length); // every session has its deadline stored, far ahead
  // Time passes while nothing runs: every stored deadline is now behind us.
  await db!.query(`UPDATE sessions SET due_at = now() - interval '1 second' WHERE id = ANY($1::uuid[])`, [all]);
  // Nothing ran: every deadline has passed, and every session still waits.
  const before = await states(all);
  for (const id of waiting) expect(before[id].state).toBe('WAITING_FOR_SHARER');
  for (const id of [...pending, ...unattended]) expect(before[id].state).toBe('PENDING_CONSENT');
  expect((await db!.query(`SELECT count(*)::int AS n FROM sessions WHERE id = ANY($1::uuid[]) AND due_at > now()`, [all])).rows[0].n).toBe(0);

  // Two instances come back at once.
  await Promise.all([startInstance('b'), startInstance('c')]);
  // Waits for the states (generously: how soon is not this test's question), then judges them below.
  const settled = async (what: string, ids: string[], done: (state: string) => boolean) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const s = await states(ids);
      if (ids.every((id) => done(s[id].state))) return;
      if (Date.now() > deadline) throw new Error(`${what}, after 60 s: ${JSON.stringify(ids.map((id) => s[id].state))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await settled('the waiting sessions to expire', [...waiting, ...pending], (state) => state === 'EXPIRED');
  // The unattended sessions started by themselves; with no heartbeat they then disconnect (once too).
  await settled('the unattended sessions to start and then end', unattended, (state) => state === 'ENDED');
  await new Promise((r) => setTimeout(r, 500)); // a few more sweeps by both instances

  const after = await states(all);
  const events = await eventCounts(all);
  for (const id of waiting) {
    expect(after[id]).toMatchObject({ state: 'EXPIRED', end_reason: 'EXPIRED', version: 2 });
    expect(events[id]).toEqual({ 'session.requested': 1, 'Request remote help session': 1, 'session.expired': 1, 'Expire remote help session': 1 });
  }
  for (const id of pending) {
    expect(after[id]).toMatchObject({ state: 'EXPIRED', end_reason: 'EXPIRED', version: 3 });
    expect(events[id]).toEqual({
      'session.requested': 1,
      'Request remote help session': 1,
      'session.joined': 1,
      'Join remote help session': 1,
      'session.expired': 1,
      'Expire remote help session': 1,
    });
  }
  for (const id of unattended) {
    expect(after[id]).toMatchObject({ state: 'ENDED', end_reason: 'DISCONNECTED', version: 3 });
    expect(events[id]).toEqual({
      'session.requested': 1,
      'Request remote help session': 1,
      'session.started': 1,
      'Start remote help session': 1,
      'session.ended': 1,
      'End remote help session': 1,
    });
  }
  // The events of each session are in order (outbox id order = version order).
  const { rows } = await db!.query(`SELECT key, (payload->'data'->>'version')::int AS v FROM outbox WHERE topic LIKE '%session%' AND key = ANY($1::text[]) ORDER BY id`, [all]);
  const lastVersion: Record<string, number> = {};
  for (const r of rows) {
    expect(r.v).toBe((lastVersion[r.key] ?? 0) + 1);
    lastVersion[r.key] = r.v;
  }
});
