// reporting-service as a real process (its built output, apps/reporting-service/dist) against the
// real PostgreSQL and Kafka: lifecycle events produced to Kafka as session-service publishes
// them, delivered three times, out of order, malformed; the process killed (SIGKILL) in the
// middle of a batch and a new one started on the same database and consumer group; the reports
// read over GraphQL with internal tokens as the gateway sends them (admin permissions from a
// stand-in rbac-service). Needs `npx nx run @remote-help/reporting-service:build` (npm test builds).
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

import { type Caller, createInternalTokenSigner, ensureInternalKeys } from '@remote-help/auth';
import { auditEvent, createEvent, createKafka, ensureTopics, type EventEnvelope, REPORTING_EVENTS, type SessionFacts, TOPICS, topicName } from '@remote-help/events';
import { freePort, kafkaForTests } from '@remote-help/events/testing';
import { dropDatabase, ensureDatabase } from '@remote-help/service-kit';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Consumer, type Kafka, type KafkaMessage, Partitioners, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { lifecycle } from './session-lifecycle.int-support';

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'apps/reporting-service/dist/main.js');
const RUN = randomBytes(4).toString('hex');
const PREFIX = `it-rep-${RUN}.`;
const DATABASE_URL = `postgres://postgres@127.0.0.1:5432/rh_reporting_svc_it_${RUN}`;
const SESSIONS_CONSUMER = 'reporting-service.sessions';
jest.setTimeout(180_000);

let brokers: string[];
let stopKafka: () => void = () => undefined;
let kafka: Kafka;
let producer: Producer;
let keysDir: string;
let signer: { sign(caller: Caller, audience: string): Promise<string> };
let rbac: http.Server;
let rbacPort: number;
const permissions = new Map<string, string[]>(); // userId -> admin permissions
let pg: Client;
const collectors: Consumer[] = [];
const services: Service[] = [];

// ------------------------------------------------------------------------------------ helpers

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

interface Service {
  proc: ChildProcess;
  port: number;
  output: string[];
  exited: Promise<number | null>;
}

/** Starts reporting-service on the test's database and topics; resolves once /health/ready says ready. */
async function startService(env: Record<string, string> = {}): Promise<Service> {
  const port = await freePort();
  const proc = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(await freePort()),
      DATABASE_URL,
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC_PREFIX: PREFIX,
      INTERNAL_JWT_PUBLIC_KEY_FILE: path.join(keysDir, 'internal.public.pem'),
      SERVICE_JWT_PRIVATE_KEY_FILE: path.join(keysDir, 'service.private.pem'),
      SERVICE_JWT_PUBLIC_KEY_FILE: path.join(keysDir, 'service.public.pem'),
      RBAC_SERVICE_INTERNAL_URL: `http://127.0.0.1:${rbacPort}`,
      TENANT_SERVICE_INTERNAL_URL: `http://127.0.0.1:${rbacPort}`,
      LOG_LEVEL: 'warn',
      OUTBOX_POLL_INTERVAL_MS: '100',
      ...env,
    },
  });
  const output: string[] = [];
  proc.stdout!.on('data', (d) => output.push(String(d)));
  proc.stderr!.on('data', (d) => output.push(String(d)));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const service = { proc, port, output, exited };
  services.push(service);
  try {
    await waitFor('reporting-service to be ready', async () => {
      if (proc.exitCode !== null) throw new Error(`reporting-service exited (${proc.exitCode}):\n${output.join('')}`);
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
      return res?.status === 200;
    });
  } catch (e) {
    proc.kill('SIGKILL');
    throw e;
  }
  return service;
}

async function stopService(s: Service, signal: NodeJS.Signals = 'SIGTERM') {
  if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill(signal);
  await s.exited;
}

/** Produces events as the outbox relay does (key = subject, value = the envelope), in order. */
async function produce(topic: string, events: EventEnvelope[]) {
  for (let i = 0; i < events.length; i += 500) {
    await producer.send({
      topic: topicName(PREFIX, topic),
      acks: -1,
      messages: events.slice(i, i + 500).map((e) => ({ key: e.subject, value: JSON.stringify(e), headers: { 'event-id': e.id } })),
    });
  }
}

/** Reads a topic from the beginning with a fresh group. */
async function collect(topic: string) {
  const messages: KafkaMessage[] = [];
  const consumer = kafka.consumer({ groupId: `it-rep-${RUN}-collect-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const joined = new Promise<void>((r) => consumer.on(consumer.events.GROUP_JOIN, () => r()));
  await consumer.connect();
  await consumer.subscribe({ topic: topicName(PREFIX, topic), fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
  await joined;
  collectors.push(consumer);
  return messages;
}

/** The active counts published for a tenant, each event once (a relay may publish one twice after a crash), in order. */
function countsOf(messages: KafkaMessage[], tenantId: string): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  for (const m of messages) {
    const e = JSON.parse(String(m.value)) as EventEnvelope<{ tenantId: string; count: number }>;
    expect(e.type).toBe(REPORTING_EVENTS.activeSessionCountChanged);
    if (e.data.tenantId !== tenantId || seen.has(e.id)) continue;
    seen.add(e.id);
    out.push(e.data.count);
  }
  return out;
}

async function processed(eventIds: string[]): Promise<number> {
  const { rows } = await pg.query(`SELECT count(*)::int AS n FROM processed_events WHERE consumer = $1 AND event_id = ANY($2)`, [SESSIONS_CONSUMER, eventIds]);
  return rows[0].n;
}

async function gql(s: Service, caller: Caller, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`http://127.0.0.1:${s.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await signer.sign(caller, 'reporting-service')}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, any> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

const admin = (tenantId: string): Caller => {
  const userId = randomUUID();
  permissions.set(userId, ['READ_REPORTS', 'READ_AUDIT_LOG']);
  return { kind: 'user', tenantId, userId, upn: `admin-${userId.slice(0, 6)}@contoso.com` };
};
const plainUser = (tenantId: string): Caller => ({ kind: 'user', tenantId, userId: randomUUID(), upn: 'user@contoso.com' });

/** Round-robin over the sessions' event lists: sessions interleave, each keeps its own order. */
function interleave<T>(lists: T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) out.push(l[i]);
  return out;
}

// ------------------------------------------------------------------------------------ set-up

beforeAll(async () => {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npx nx run @remote-help/reporting-service:build)`);
  ({ brokers, stop: stopKafka } = await kafkaForTests());
  keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rh-reporting-it-'));
  const internal = await ensureInternalKeys(keysDir);
  await ensureInternalKeys(keysDir, 'service');
  signer = createInternalTokenSigner(internal.privateKeyPem);
  rbac = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url !== '/internal/admin-permissions') return void res.writeHead(404).end();
      const { userId } = JSON.parse(body) as { userId: string };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ permissions: permissions.get(userId) ?? [] }));
    });
  });
  rbacPort = await freePort();
  await new Promise<void>((r) => rbac.listen(rbacPort, '127.0.0.1', () => r()));
  await ensureDatabase(DATABASE_URL);
  pg = new Client({ connectionString: DATABASE_URL });
  await pg.connect();
  kafka = createKafka({ brokers, clientId: `reporting-it-${RUN}` });
  await ensureTopics(kafka, PREFIX);
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
});

afterAll(async () => {
  for (const s of services) await stopService(s, 'SIGKILL').catch(() => undefined);
  for (const c of collectors) await c.disconnect().catch(() => undefined);
  await producer?.disconnect().catch(() => undefined);
  if (kafka) {
    const adminClient = kafka.admin();
    await adminClient.connect();
    await adminClient.deleteTopics({ topics: Object.values(TOPICS).map((b) => topicName(PREFIX, b)) }).catch(() => undefined);
    const { groups } = await adminClient.listGroups();
    const ours = groups.map((g) => g.groupId).filter((g) => g.startsWith(PREFIX) || g.startsWith(`it-rep-${RUN}-`));
    if (ours.length) await adminClient.deleteGroups(ours).catch(() => undefined);
    await adminClient.disconnect();
  }
  await pg?.end().catch(() => undefined);
  await dropDatabase(DATABASE_URL).catch(() => undefined);
  rbac?.close();
  if (keysDir) fs.rmSync(keysDir, { recursive: true, force: true });
  stopKafka();
}, 120_000);

// ------------------------------------------------------------------------------------ tests

describe('reporting-service consuming Kafka', () => {
  let service: Service;
  let reportingTopic: KafkaMessage[];

  beforeAll(async () => {
    reportingTopic = await collect(TOPICS.reporting);
    service = await startService();
  });

  it('applies each event once when it arrives three times, and ignores an older one that arrives late', async () => {
    const tenantId = randomUUID();
    const now = Date.now();
    const ended = lifecycle({ tenantId, requestedAt: new Date(now - 3_600_000), durationSeconds: 321, mode: 'FULL_CONTROL', elevated: true });
    const active = lifecycle({ tenantId, requestedAt: new Date(now - 1_800_000), ending: 'ACTIVE' });
    const unattended = lifecycle({ tenantId, requestedAt: new Date(now - 600_000), mode: 'UNATTENDED', durationSeconds: 30 });
    const thrice = (events: EventEnvelope[]) => events.flatMap((e) => [e, e, e]);
    await produce(TOPICS.session, interleave([thrice(ended), thrice(active), thrice(unattended)]));
    // the "started" facts of the ended session once more, after its end, as a new event (another
    // id, so only the version tells it is older)
    const started = ended.find((e) => e.data.state === 'ACTIVE')!;
    const late = createEvent({ type: started.type, source: started.source, tenantId, subject: started.subject, data: started.data });
    await produce(TOPICS.session, [late]);
    const ids = [...ended, ...active, ...unattended, late].map((e) => e.id);
    await waitFor('all events applied', async () => (await processed(ids)) === ids.length);

    const { rows } = await pg.query(`SELECT session_id, state, version, duration_seconds, elevation_used FROM session_records WHERE tenant_id = $1 ORDER BY requested_at`, [tenantId]);
    expect(rows).toEqual([
      { session_id: ended[0].data.sessionId, state: 'ENDED', version: ended.length, duration_seconds: 321, elevation_used: true },
      { session_id: active[0].data.sessionId, state: 'ACTIVE', version: active.length, duration_seconds: null, elevation_used: false },
      { session_id: unattended[0].data.sessionId, state: 'ENDED', version: unattended.length, duration_seconds: 30, elevation_used: false },
    ]);
    // the audit line of every transition, once, under its event's id (the late one too: the
    // audit log keeps every action, whatever the record already knew)
    const audit = await pg.query(`SELECT id, activity, actor_id, target_id, occurred_at FROM audit_events WHERE tenant_id = $1`, [tenantId]);
    expect(audit.rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    for (const e of [...ended, ...active, ...unattended, late]) {
      expect(audit.rows.find((r) => r.id === e.id)).toEqual({ id: e.id, activity: e.data.audit!.activity, actor_id: e.data.actorId, target_id: e.data.sessionId, occurred_at: new Date(e.time) });
    }
    const counted = await waitFor('the published counts', async () => {
      const c = countsOf(reportingTopic, tenantId);
      return c.length >= 5 && c;
    });
    await sleep(500); // nothing more follows (the late event changed nothing)
    expect(countsOf(reportingTopic, tenantId)).toHaveLength(5);
    // three sessions became ACTIVE, two left it: five changes, one count each, each one step from
    // the previous (sessions are on different partitions, so their relative order may vary)
    counted.forEach((c, i) => expect(Math.abs(c - (i === 0 ? 0 : counted[i - 1]))).toBe(1));
    expect(counted[counted.length - 1]).toBe(1);
    const res = await gql(service, admin(tenantId), 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Tenant { activeSessionCount } } }', {
      r: [{ __typename: 'Tenant', id: tenantId }],
    });
    expect(res).toEqual({ data: { _entities: [{ activeSessionCount: 1 }] } });
  });

  it('sends unreadable messages and events whose data does not fit their contract to the dead-letter topic with the reason, and goes on', async () => {
    const deadLetters = await collect(TOPICS.deadLetter);
    const tenantId = randomUUID();
    const [good] = lifecycle({ tenantId, requestedAt: new Date(Date.now() - 60_000) });
    const invalid = createEvent({ type: 'session.requested', source: 'session-service', tenantId, subject: 'x', data: { ...good.data, sessionId: undefined } as unknown as SessionFacts });
    await producer.send({ topic: topicName(PREFIX, TOPICS.session), acks: -1, messages: [{ key: 'junk', value: '{"this is": not json' }] });
    // valid facts with a malformed audit line: set aside whole, neither record nor audit line
    const [badAudit] = lifecycle({ tenantId, requestedAt: new Date(Date.now() - 60_000) });
    badAudit.data.audit = { ...badAudit.data.audit!, actorKind: 'robot' as never };
    await produce(TOPICS.session, [invalid, badAudit, good]);
    await waitFor('the valid event applied', async () => (await processed([good.id])) === 1);
    const deadReason = async (id: string) => {
      const m = await waitFor(`the dead letter of ${id}`, async () => deadLetters.find((d) => String(d.value).includes(id)));
      expect(String(m.headers?.['consumer-group'])).toBe(`${PREFIX}reporting-service.sessions`);
      return String(m.headers?.reason);
    };
    expect(await deadReason(invalid.id)).toBe('session.requested: sessionId: must be a UUID');
    expect(await deadReason(badAudit.id)).toMatch(/^session\.requested: audit\.actorKind: /);
    expect(await pg.query(`SELECT 1 FROM rejected_events WHERE event_id = ANY($1)`, [[invalid.id, badAudit.id]]).then((r) => r.rows)).toEqual([]);
    expect((await pg.query(`SELECT 1 FROM session_records WHERE session_id = $1`, [badAudit.data.sessionId])).rows).toEqual([]);
    expect((await pg.query(`SELECT id FROM audit_events WHERE tenant_id = $1`, [tenantId])).rows).toEqual([{ id: good.id }]);
    const dead = await waitFor('the dead letter', async () => deadLetters.find((m) => String(m.value) === '{"this is": not json'));
    expect(String(dead.headers?.reason)).toMatch(/not valid JSON/);
    expect((await pg.query(`SELECT state FROM session_records WHERE session_id = $1`, [good.data.sessionId])).rows).toEqual([{ state: 'WAITING_FOR_SHARER' }]);
  });

  it('keeps records and counts exact when killed mid-stream and restarted', async () => {
    const tenantId = randomUUID();
    const now = Date.now();
    const n = 150;
    const sessions = Array.from({ length: n }, (_, i) =>
      lifecycle({
        tenantId,
        requestedAt: new Date(now - (3 * 86_400_000 * i) / n - 60_000),
        mode: (['VIEW_ONLY', 'FULL_CONTROL', 'UNATTENDED'] as const)[i % 3],
        ending: i % 5 === 0 ? 'ACTIVE' : i % 7 === 0 ? 'DECLINED' : 'ENDED',
        durationSeconds: 60 + i,
      }),
    );
    const all = sessions.flat();
    const ids = all.map((e) => e.id);
    // every event three times, sessions interleaved, each session in order, in three parts: the
    // first applied (its offsets committed or not: they are committed once a second), the second
    // sent just before the kill (applied in part, in whole or not at all: the consumer applies a
    // fetch in one transaction, so where the kill lands is up to the machine), the third while the
    // service is down. (Sending it all and killing once some was applied was not a kill in the
    // middle: a fast machine applied the whole stream in one fetch, between two looks.)
    const stream = interleave(sessions.map((s) => s.flatMap((e) => [e, e, e])));
    const thirds = [stream.slice(0, stream.length / 3), stream.slice(stream.length / 3, (2 * stream.length) / 3), stream.slice((2 * stream.length) / 3)];
    await produce(TOPICS.session, thirds[0]);
    const firstIds = [...new Set(thirds[0].map((e) => e.id))];
    await waitFor('the first part applied', async () => (await processed(firstIds)) === firstIds.length);
    const atKill = await processed(ids);
    await produce(TOPICS.session, thirds[1]);
    expect(service.proc.exitCode).toBeNull(); // still running when the kill comes
    service.proc.kill('SIGKILL');
    await service.exited;
    const afterKill = await processed(ids);
    await produce(TOPICS.session, thirds[2]);
    process.stderr.write(`killed after ${atKill}-${afterKill} of ${ids.length} events (${ids.length * 3} messages)\n`);
    // The kill landed mid-stream: it killed the running service (not one that had stopped), after
    // the first part was applied and before the stream was: what is left includes every event
    // first sent in the third part, which only the restarted service can apply.
    expect(service.proc.signalCode).toBe('SIGKILL');
    expect(atKill).toBeGreaterThanOrEqual(firstIds.length);
    expect(afterKill).toBeGreaterThanOrEqual(atKill);
    const sentBeforeKill = new Set([...thirds[0], ...thirds[1]].map((e) => e.id));
    const onlyAfterKill = [...new Set(thirds[2].map((e) => e.id))].filter((id) => !sentBeforeKill.has(id));
    expect(onlyAfterKill.length).toBeGreaterThan(0);
    expect(await processed(onlyAfterKill)).toBe(0);
    expect(afterKill).toBeLessThanOrEqual(sentBeforeKill.size);

    service = await startService();
    await waitFor('every event applied', async () => (await processed(ids)) === ids.length, 120_000);

    const finals = sessions.map((s) => s[s.length - 1].data);
    const { rows } = await pg.query(`SELECT session_id, state, version FROM session_records WHERE tenant_id = $1`, [tenantId]);
    expect(rows).toHaveLength(n);
    const byId = new Map(rows.map((r) => [r.session_id, r]));
    for (const f of finals) expect(byId.get(f.sessionId)).toEqual({ session_id: f.sessionId, state: f.state, version: f.version });
    const expectedActive = finals.filter((f) => f.state === 'ACTIVE').length;
    const [{ sessions: stats }] = (await pg.query(`SELECT sum(sessions)::int AS sessions FROM session_daily_stats WHERE tenant_id = $1`, [tenantId])).rows;
    expect(stats).toBe(n);
    // the audit line of every event, under the event's id
    expect((await pg.query(`SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [tenantId, ids])).rows).toEqual([{ n: ids.length }]);
    // one published count per change, each one step from the previous, ending at the true count
    const transitions = finals.reduce((sum, f) => sum + (f.state === 'ACTIVE' ? 1 : f.startedAt ? 2 : 0), 0);
    const counts = await waitFor('every count published', async () => {
      const c = countsOf(reportingTopic, tenantId);
      return c.length >= transitions && c;
    });
    expect(counts).toHaveLength(transitions);
    counts.forEach((c, i) => expect(Math.abs(c - (i === 0 ? 0 : counts[i - 1]))).toBe(1));
    expect(counts[counts.length - 1]).toBe(expectedActive);

    // and the reports say the same through GraphQL
    const caller = admin(tenantId);
    const res = await gql(
      service,
      caller,
      `{ remoteHelpSessions(first: 500) { totalCount edges { node { sessionId outcome } } pageInfo { hasNextPage } }
         remoteHelpMonitor { activeSessions totalSessions sessionsByType { sessionType count } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.remoteHelpSessions.totalCount).toBe(n);
    expect(res.data!.remoteHelpSessions.edges).toHaveLength(n);
    expect(res.data!.remoteHelpSessions.pageInfo).toEqual({ hasNextPage: false });
    expect(res.data!.remoteHelpMonitor).toEqual({
      activeSessions: expectedActive,
      totalSessions: n,
      sessionsByType: [
        { sessionType: 'VIEW_ONLY', count: n / 3 },
        { sessionType: 'FULL_CONTROL', count: n / 3 },
        { sessionType: 'UNATTENDED', count: n / 3 },
      ],
    });
  });
});

describe('the reports over GraphQL', () => {
  let service: Service;
  const tenantId = randomUUID();
  const otherTenant = randomUUID();
  let helperId: string;

  beforeAll(async () => {
    service = services.find((s) => s.proc.exitCode === null && s.proc.signalCode === null) ?? (await startService());
    const unattended = lifecycle({ tenantId, requestedAt: new Date(Date.now() - 7_200_000), mode: 'UNATTENDED', durationSeconds: 90, enrolled: false });
    const attended = lifecycle({ tenantId, requestedAt: new Date(Date.now() - 3_600_000), mode: 'FULL_CONTROL', durationSeconds: 120, elevated: true, chatUsed: true });
    helperId = attended[0].data.helperId;
    const foreign = lifecycle({ tenantId: otherTenant, helperId, requestedAt: new Date(Date.now() - 3_000_000) });
    const sharerId = attended[attended.length - 1].data.sharerId!;
    const name = createEvent({
      type: 'user.upserted',
      source: 'tenant-service',
      tenantId,
      subject: sharerId,
      data: {
        id: sharerId,
        tenantId,
        userPrincipalName: 'sam@contoso.com',
        displayName: 'Sam Sharer',
        givenName: 'Sam',
        surname: 'Sharer',
        jobTitle: null,
        companyName: null,
        profilePictureUrl: null,
        licenses: [],
        version: 1,
      },
    });
    await produce(TOPICS.tenant, [name]);
    await produce(TOPICS.session, [...unattended, ...attended, ...foreign]);
    await produce(TOPICS.audit, [
      auditEvent({ source: 'tenant-service', tenantId, actorId: helperId, category: 'Settings', activity: 'Update remote help settings', targetId: tenantId, result: 'Success', details: 'remoteHelpEnabled: true' }),
      auditEvent({ source: 'tenant-service', tenantId: otherTenant, actorId: null, category: 'Tenant', activity: 'Create tenant', targetId: otherTenant, result: 'Success' }),
    ]);
    await waitFor('the reports', async () => {
      const a = await pg.query(`SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = ANY($1)`, [[tenantId, otherTenant]]);
      const s = await pg.query(`SELECT count(*)::int AS n FROM session_records WHERE tenant_id = ANY($1) AND state = 'ENDED'`, [[tenantId, otherTenant]]);
      const u = await pg.query(`SELECT count(*)::int AS n FROM directory_users WHERE id = $1`, [sharerId]);
      // two audit events, and the audit line of each session event
      return a.rows[0].n === 2 + unattended.length + attended.length + foreign.length && s.rows[0].n === 3 && u.rows[0].n === 1;
    });
  });

  const SESSIONS = `query ($filter: SessionRecordFilter, $first: Int, $after: String) {
    remoteHelpSessions(filter: $filter, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { sessionId provider { id } recipient { id } recipientDisplay device { id } deviceId sessionType elevationUsed chatUsed startedAt endedAt durationSeconds outcome reason } }
    } }`;

  it('shows the session report as Intune does: "--" for a dedicated device, the name of a sharer, no device for an unenrolled one', async () => {
    const res = await gql(service, admin(tenantId), SESSIONS, { first: 10 });
    expect(res.errors).toBeUndefined();
    const c = res.data!.remoteHelpSessions;
    expect(c.totalCount).toBe(2);
    expect(c.pageInfo).toEqual({ hasNextPage: false, endCursor: c.edges[1].cursor });
    const [attended, unattended] = c.edges.map((e: { node: unknown }) => e.node);
    expect(attended).toMatchObject({
      provider: { id: helperId },
      recipientDisplay: 'Sam Sharer',
      sessionType: 'FULL_CONTROL',
      elevationUsed: true,
      chatUsed: true,
      durationSeconds: 120,
      outcome: 'ENDED',
      reason: 'INC-1234',
    });
    expect(attended.device).toEqual({ id: attended.deviceId });
    expect(unattended).toMatchObject({ recipient: null, recipientDisplay: '--', device: null, sessionType: 'UNATTENDED', durationSeconds: 90, outcome: 'ENDED' });
  });

  it('pages with cursors and filters by provider', async () => {
    const caller = admin(tenantId);
    const first = await gql(service, caller, SESSIONS, { first: 1 });
    expect(first.data!.remoteHelpSessions.pageInfo.hasNextPage).toBe(true);
    const second = await gql(service, caller, SESSIONS, { first: 1, after: first.data!.remoteHelpSessions.pageInfo.endCursor });
    expect(second.data!.remoteHelpSessions.edges[0].node.sessionType).toBe('UNATTENDED');
    expect(second.data!.remoteHelpSessions.pageInfo.hasNextPage).toBe(false);
    const byHelper = await gql(service, caller, SESSIONS, { filter: { providerId: helperId } });
    expect(byHelper.data!.remoteHelpSessions.totalCount).toBe(1); // the same helper id in another tenant is not counted
  });

  it('refuses bad paging input with BAD_USER_INPUT', async () => {
    const caller = admin(tenantId);
    for (const vars of [{ first: 501 }, { first: -1 }, { after: 'bm9wZQ' }, { filter: { providerId: 'not-an-id' } }]) {
      const res = await gql(service, caller, SESSIONS, vars);
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('needs READ_REPORTS (and READ_AUDIT_LOG for the audit log): FORBIDDEN otherwise', async () => {
    for (const caller of [plainUser(tenantId), { kind: 'device', tenantId, deviceId: randomUUID() } as Caller]) {
      for (const query of [SESSIONS, '{ remoteHelpMonitor { activeSessions } }', '{ auditEvents { edges { cursor } } }']) {
        const res = await gql(service, caller, query);
        expect({ query, codes: res.errors?.map((e) => e.extensions?.code) }).toEqual({ query, codes: ['FORBIDDEN'] });
      }
    }
    const reportsOnly = plainUser(tenantId);
    permissions.set((reportsOnly as { userId: string }).userId, ['READ_REPORTS']);
    expect((await gql(service, reportsOnly, '{ auditEvents { edges { cursor } } }')).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await gql(service, reportsOnly, '{ remoteHelpMonitor { totalSessions } }')).data?.remoteHelpMonitor.totalSessions).toBe(2);
    const tenantCount = await gql(service, plainUser(tenantId), 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Tenant { activeSessionCount } } }', {
      r: [{ __typename: 'Tenant', id: tenantId }],
    });
    expect(tenantCount.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it("shows the audit log with actors, of the caller's tenant only", async () => {
    const res = await gql(service, admin(tenantId), '{ auditEvents(category: "Settings", first: 10) { edges { node { category activity actor { id } targetId result details } } pageInfo { hasNextPage } } }');
    expect(res.data!.auditEvents).toEqual({
      edges: [{ node: { category: 'Settings', activity: 'Update remote help settings', actor: { id: helperId }, targetId: tenantId, result: 'Success', details: 'remoteHelpEnabled: true' } }],
      pageInfo: { hasNextPage: false },
    });
    // the session's transitions, newest first, from the audit lines their lifecycle events carry
    const sessions = await gql(service, admin(tenantId), '{ auditEvents(category: "RemoteHelp", first: 20) { edges { node { activity actor { id } actorKind targetId result } } } }');
    const attendedId = sessions.data!.auditEvents.edges[0].node.targetId;
    expect(
      sessions.data!.auditEvents.edges.filter((e: { node: { targetId: string } }) => e.node.targetId === attendedId).map((e: { node: { activity: string; result: string } }) => `${e.node.activity}: ${e.node.result}`),
    ).toEqual([
      'End remote help session: Success',
      'Use chat in remote help session: Success',
      'Elevate remote help session: Success',
      'Start remote help session: Success',
      'Join remote help session: Success',
      'Request remote help session: Success',
    ]);
    expect(sessions.data!.auditEvents.edges).toHaveLength(9); // 6 of the attended session, 3 of the unattended one
    expect(sessions.data!.auditEvents.edges[0].node).toMatchObject({ actor: { id: helperId }, actorKind: 'user' });
    const other = await gql(service, admin(otherTenant), '{ auditEvents(category: "Tenant") { edges { node { activity actor { id } } } } }');
    expect(other.data!.auditEvents.edges).toEqual([{ node: { activity: 'Create tenant', actor: null } }]);
  });

  it('declares the activeSessionCount subscription but leaves serving it to the gateway', async () => {
    const res = await gql(service, admin(tenantId), 'subscription { activeSessionCount { count } }');
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.length).toBeGreaterThan(0);
  });
});
