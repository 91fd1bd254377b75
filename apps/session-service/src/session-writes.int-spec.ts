// The one-statement writes of a session transition, on the real PostgreSQL (127.0.0.1:5432,
// user postgres; a database of its own, dropped at the end), with the service's migrations:
// writeOutboxRows (several events and the relay's wake-up in one round trip) and
// SessionStore's one-statement transitions (the row, its lifecycle event with the audit line
// completed from the row, the tenant's chat setting) against what the JavaScript forms
// (SessionEvents.transitioned: factsOf, sessionAuditDetails) give.
import { ComplianceState, EndReason, Platform, SessionMode, SessionState } from '@remote-help/domain';
import { auditEvent, createEvent, EventContractError, OUTBOX_CHANNEL, parseEvent, SESSION_EVENTS, sessionAuditDetails, SessionFactsSchema, TOPICS, validateEnvelope, writeOutboxRows } from '@remote-help/events';
import { dropDatabase, openServiceDataSource, type ServiceOptions } from '@remote-help/service-kit';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { ENTITIES, MIGRATIONS } from './data-source';
import type { SessionTimings } from './config';
import { SessionEvents } from './session/session-events';
import type { SessionRecord } from './session/session-record';
import { factsOf, fromRow } from './session/session-record';
import { factsSql } from './session/session-sql';
import { SessionStore } from './session/session-store';

const URL = `postgres://postgres@127.0.0.1:5432/rh_session_writes_it_${randomBytes(4).toString('hex')}`;
let ds: DataSource;

beforeAll(async () => {
  ds = await openServiceDataSource({ url: URL, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 4 });
});

afterAll(async () => {
  await ds?.destroy();
  await dropDatabase(URL);
});

describe('writeOutboxRows', () => {
  const tenantId = randomUUID();
  const subject = randomUUID();
  const lifecycle = () => createEvent({ type: 'session.started', source: 'session-service', tenantId, subject, data: { id: subject } });
  const audit = () =>
    auditEvent({ source: 'session-service', tenantId, actorId: null, actorKind: 'system', category: 'RemoteHelp', activity: 'Start remote help session', targetId: subject, result: 'Success', details: 'state=ACTIVE' });

  it('writes the rows in the order given, with their topics and keys, and wakes the relay once at commit', async () => {
    const listener = new Client({ connectionString: URL });
    await listener.connect();
    const notices: string[] = [];
    listener.on('notification', (n) => notices.push(n.channel));
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    try {
      const [a, b] = [lifecycle(), audit()];
      await ds.transaction(async (m) => {
        await writeOutboxRows(m, [
          { topic: TOPICS.session, event: a },
          { topic: TOPICS.audit, event: b },
        ]);
        await new Promise((r) => setTimeout(r, 200));
        expect(notices).toEqual([]); // not before the commit
      });
      const rows = await ds.query(`SELECT event_id, topic, key, payload FROM outbox WHERE event_id IN ($1, $2) ORDER BY id`, [a.id, b.id]);
      expect(rows.map((r: Record<string, unknown>) => [r.event_id, r.topic, r.key])).toEqual([
        [a.id, TOPICS.session, subject],
        [b.id, TOPICS.audit, b.subject],
      ]);
      expect(rows[0].payload).toEqual(JSON.parse(JSON.stringify(a)));
      for (let i = 0; i < 50 && !notices.length; i++) await new Promise((r) => setTimeout(r, 20));
      expect(notices).toEqual([OUTBOX_CHANNEL]);
    } finally {
      await listener.end();
    }
  });

  it('writes nothing when the transaction rolls back', async () => {
    const e = lifecycle();
    await expect(
      ds.transaction(async (m) => {
        await writeOutboxRows(m, [{ topic: TOPICS.session, event: e }]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await ds.query(`SELECT 1 FROM outbox WHERE event_id = $1`, [e.id])).toEqual([]);
  });

  it('refuses outside a transaction, an unknown topic and an invalid envelope', async () => {
    await expect(writeOutboxRows(ds.manager, [{ topic: TOPICS.session, event: lifecycle() }])).rejects.toThrow(/inside the transaction/);
    await expect(ds.transaction((m) => writeOutboxRows(m, [{ topic: 'no-such-topic', event: lifecycle() }]))).rejects.toThrow(/unknown topic/);
    await expect(ds.transaction((m) => writeOutboxRows(m, [{ topic: TOPICS.session, event: { ...lifecycle(), type: 'bad' } }]))).rejects.toThrow(/type/);
  });
});

describe('the one-statement transitions of SessionStore', () => {
  const TIMINGS: SessionTimings = {
    joinTimeoutMs: 600_000,
    consentTimeoutMs: 300_000,
    unattendedStartMs: 5_000,
    heartbeatTimeoutMs: 60_000,
    sweepIntervalMs: 1_000,
    joinMaxFailures: 5,
    joinFailureWindowMs: 600_000,
    chatStreamHeartbeatMs: 15_000,
  };
  let store: SessionStore;
  let events: SessionEvents;
  const helper = { id: randomUUID(), kind: 'user' as const };

  beforeAll(() => {
    store = new SessionStore(ds, TIMINGS);
    events = new SessionEvents({ name: 'session-service' } as ServiceOptions, ds);
  });

  const readSetting = (tenantId: string) => ds.query(`SELECT chat_disabled, version FROM tenant_settings WHERE tenant_id = $1`, [tenantId]);
  const outboxOf = (sessionId: string) => ds.query(`SELECT event_id, topic, key, payload FROM outbox WHERE key = $1 ORDER BY id`, [sessionId]);

  async function request(tenantId: string, setting: { chatDisabled: boolean; version: number } | null, codeHash: string | null = randomBytes(16).toString('hex')) {
    const id = randomUUID();
    const outbox = events.outboxParams(tenantId, id, SESSION_EVENTS.requested, 'Request remote help session', helper);
    const s = await store.insertWithEvents(
      {
        id,
        tenantId,
        helperId: helper.id,
        deviceId: randomUUID(),
        mode: SessionMode.VIEW_ONLY,
        state: SessionState.WAITING_FOR_SHARER,
        reason: 'printer',
        platform: Platform.WINDOWS,
        deviceEnrolled: true,
        deviceCompliance: ComplianceState.COMPLIANT,
        codeHash,
        dueInMs: TIMINGS.joinTimeoutMs,
      },
      setting,
      outbox,
    );
    return { s, outbox };
  }

  /** The outbox row as the transaction-and-writeToOutbox path (SessionEvents.transitioned) would have written it for this row. */
  function expectedRows(s: SessionRecord, outbox: unknown[], eventType: string, activity: string, actor: { id: string | null; kind: 'user' | 'system' }) {
    const lifecycle = JSON.parse(outbox[3] as string);
    expect(lifecycle).toMatchObject({ type: eventType, subject: s.id, tenantId: s.tenantId, source: 'session-service', data: null });
    expect(JSON.parse(outbox[4] as string)).toEqual({ category: 'RemoteHelp', activity, actorKind: actor.kind });
    const audit = { category: 'RemoteHelp', activity, actorKind: actor.kind, details: sessionAuditDetails(s) };
    return [{ event_id: outbox[0], topic: TOPICS.session, key: s.id, payload: { ...lifecycle, data: JSON.parse(JSON.stringify({ ...factsOf(s, actor.id), audit })) } }];
  }

  it('inserts a session with its event, the data completed from the row as factsOf and sessionAuditDetails make them', async () => {
    const t = randomUUID();
    const { s, outbox } = await request(t, { chatDisabled: false, version: 1 });
    expect(s).toMatchObject({ tenantId: t, state: SessionState.WAITING_FOR_SHARER, chatEnabled: true, version: 1, reason: 'printer' });
    expect(await outboxOf(s.id)).toEqual(expectedRows(s, outbox, SESSION_EVENTS.requested, 'Request remote help session', helper));
  });

  it('writes, in SQL, an event that its consumers parse to itself (the schema of libs/events, field for field)', async () => {
    const { s } = await request(randomUUID(), { chatDisabled: false, version: 1 });
    const [{ payload }] = await outboxOf(s.id);
    expect(parseEvent(validateEnvelope(payload))).toEqual(payload);
    // a field the schema does not know is dropped by the parse, one it requires is refused
    expect(parseEvent(validateEnvelope({ ...payload, data: { ...payload.data, extra: 1 } }))).toEqual(payload);
    expect(() => parseEvent(validateEnvelope({ ...payload, data: { ...payload.data, deviceEnrolled: undefined } }))).toThrow(EventContractError);
  });

  it('writes the same event as SessionEvents.transitioned does in a transaction', async () => {
    const t = randomUUID();
    const { s, outbox } = await request(t, null);
    const lifecycle = JSON.parse(outbox[3] as string);
    await ds.transaction((m) => events.transitioned(m, s, SESSION_EVENTS.requested, 'Request remote help session', helper));
    const rows = await outboxOf(s.id);
    expect(rows).toHaveLength(2);
    const strip = (p: Record<string, unknown>) => ({ ...p, id: undefined, time: undefined });
    expect(strip(rows[1].payload)).toEqual(strip(rows[0].payload));
    expect(rows[1].payload.data).toEqual(expectedRows(s, outbox, SESSION_EVENTS.requested, 'Request remote help session', helper)[0].payload.data);
    expect(rows[0].payload.time).toBe(lifecycle.time);
  });

  it("applies rbac-service's setting only when newer, and the session takes the setting as stored then", async () => {
    const t = randomUUID();
    expect((await request(t, null)).s.chatEnabled).toBe(false); // unknown tenant: fail closed
    expect(await readSetting(t)).toEqual([]);
    expect((await request(t, { chatDisabled: false, version: 3 })).s.chatEnabled).toBe(true);
    expect((await request(t, { chatDisabled: true, version: 2 })).s.chatEnabled).toBe(true);
    expect((await request(t, { chatDisabled: true, version: 3 })).s.chatEnabled).toBe(true);
    expect(await readSetting(t)).toEqual([{ chat_disabled: false, version: 3 }]);
    expect((await request(t, null)).s.chatEnabled).toBe(true);
    expect((await request(t, { chatDisabled: true, version: 4 })).s.chatEnabled).toBe(false);
    expect(await readSetting(t)).toEqual([{ chat_disabled: true, version: 4 }]);
  });

  it('writes nothing at all when the insert fails (a live code drawn twice)', async () => {
    const t = randomUUID();
    const code = randomBytes(16).toString('hex');
    await request(t, null, code);
    const id = randomUUID();
    const outbox = events.outboxParams(t, id, SESSION_EVENTS.requested, 'Request remote help session', helper);
    await expect(
      store.insertWithEvents(
        {
          id,
          tenantId: t,
          helperId: helper.id,
          deviceId: randomUUID(),
          mode: SessionMode.VIEW_ONLY,
          state: SessionState.WAITING_FOR_SHARER,
          reason: null,
          platform: Platform.WINDOWS,
          deviceEnrolled: true,
          deviceCompliance: ComplianceState.COMPLIANT,
          codeHash: code,
          dueInMs: 1000,
        },
        { chatDisabled: true, version: 9 },
        outbox,
      ),
    ).rejects.toMatchObject({ code: '23505', constraint: 'sessions_live_code' });
    expect(await outboxOf(id)).toEqual([]);
    expect(await readSetting(t)).toEqual([]);
  });

  it('joins, starts and ends with the events of each step; a stale version or a used code writes nothing', async () => {
    const t = randomUUID();
    const code = randomBytes(16).toString('hex');
    const { s } = await request(t, { chatDisabled: false, version: 1 }, code);
    const sharer = { id: randomUUID(), kind: 'user' as const };

    const lookup = await store.joinLookup(sharer.id, TIMINGS.joinFailureWindowMs, code);
    expect(lookup.failures).toEqual({ count: 0, retryAfterMs: 0 });
    expect(lookup.found).toEqual(s);
    expect((await store.joinLookup(sharer.id, TIMINGS.joinFailureWindowMs, null)).found).toBeNull();

    const join = { state: SessionState.PENDING_CONSENT, joined: true as const, timer: 'CONSENT' as const };
    const joinOutbox = events.outboxParams(t, s.id, SESSION_EVENTS.joined, 'Join remote help session', sharer);
    const joined = (await store.applyWithEvents(s, join, joinOutbox, { sharerId: sharer.id, codeHash: code }))!;
    expect(joined).toMatchObject({ state: SessionState.PENDING_CONSENT, sharerId: sharer.id, version: 2 });
    expect(await store.find(t, s.id)).toEqual(joined);
    // the same join again: the version moved on (and the code is used)
    expect(await store.applyWithEvents(s, join, events.outboxParams(t, s.id, SESSION_EVENTS.joined, 'Join remote help session', sharer), { sharerId: sharer.id, codeHash: code })).toBeNull();
    expect(await store.findForJoin(s.id, code)).toBeNull();
    expect((await store.joinLookup(sharer.id, TIMINGS.joinFailureWindowMs, code)).found).toBeNull();

    const startOutbox = events.outboxParams(t, s.id, SESSION_EVENTS.started, 'Start remote help session', sharer);
    const started = (await store.applyWithEvents(joined, { state: SessionState.ACTIVE, started: true, timer: 'HEARTBEAT' }, startOutbox))!;
    expect(started).toMatchObject({ state: SessionState.ACTIVE, version: 3 });
    expect(started.startedAt).toBeInstanceOf(Date);

    const endOutbox = events.outboxParams(t, s.id, SESSION_EVENTS.ended, 'End remote help session', helper);
    const ended = (await store.applyWithEvents(started, { state: SessionState.ENDED, ended: { reason: EndReason.HELPER_ENDED }, pendingControlRequest: null, timer: 'NONE' }, endOutbox))!;
    expect(ended).toMatchObject({ state: SessionState.ENDED, endReason: EndReason.HELPER_ENDED, version: 4, dueAt: null });
    // a stale end writes nothing
    expect(
      await store.applyWithEvents(
        started,
        { state: SessionState.ENDED, ended: { reason: EndReason.SHARER_ENDED }, pendingControlRequest: null, timer: 'NONE' },
        events.outboxParams(t, s.id, SESSION_EVENTS.ended, 'End remote help session', sharer),
      ),
    ).toBeNull();

    const rows = await outboxOf(s.id);
    expect(rows).toHaveLength(4);
    expect(rows.slice(1)).toEqual([
      ...expectedRows(joined, joinOutbox, SESSION_EVENTS.joined, 'Join remote help session', sharer),
      ...expectedRows(started, startOutbox, SESSION_EVENTS.started, 'Start remote help session', sharer),
      ...expectedRows(ended, endOutbox, SESSION_EVENTS.ended, 'End remote help session', helper),
    ]);
    expect(rows[3].payload.data.audit.details).toBe(`state=ENDED mode=VIEW_ONLY device=${s.deviceId} sharer=${sharer.id} endReason=HELPER_ENDED`);
  });

  it('refuses a join once the code has expired', async () => {
    const t = randomUUID();
    const code = randomBytes(16).toString('hex');
    const { s } = await request(t, null, code);
    await ds.query(`UPDATE sessions SET code_expires_at = now() - interval '1 second' WHERE id = $1`, [s.id]);
    const sharer = { id: randomUUID(), kind: 'user' as const };
    const join = { state: SessionState.PENDING_CONSENT, joined: true as const, timer: 'CONSENT' as const };
    expect(await store.applyWithEvents(s, join, events.outboxParams(t, s.id, SESSION_EVENTS.joined, 'Join remote help session', sharer), { sharerId: sharer.id, codeHash: code })).toBeNull();
    expect(await outboxOf(s.id)).toHaveLength(1); // the request's only
  });

  it('counts wrong codes in the same read', async () => {
    const user = randomUUID();
    await store.recordJoinFailure(randomUUID(), user);
    await store.recordJoinFailure(randomUUID(), user);
    const { failures, found } = await store.joinLookup(user, 60_000, randomBytes(16).toString('hex'));
    expect(found).toBeNull();
    expect(failures.count).toBe(2);
    expect(failures.retryAfterMs).toBeGreaterThan(50_000);
    expect(failures.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('writes the same times as node-postgres reads them, at every millisecond boundary', async () => {
    const t = randomUUID();
    const { s } = await request(t, null);
    for (const us of ['000000', '000999', '001000', '123456', '999999', '500500']) {
      await ds.query(`UPDATE sessions SET requested_at = $2::timestamptz WHERE id = $1`, [s.id, `2026-03-04 05:06:07.${us}+00`]);
      const [row] = await ds.query(`SELECT *, ${factsSql('NULL')} AS facts FROM sessions s WHERE id = $1`, [s.id]);
      expect(row.facts).toEqual(JSON.parse(JSON.stringify(factsOf(fromRow(row), null))));
      expect(SessionFactsSchema.parse(row.facts)).toEqual(row.facts);
    }
  });
});
