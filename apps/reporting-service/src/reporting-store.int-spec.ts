// Integration tests of reporting-service's tables and queries against the real PostgreSQL
// (127.0.0.1:5432, user postgres), in a database of their own (dropped at the end). The event
// handlers are called directly here, inside transactions as the Kafka consumer runs them;
// reporting-service.int-spec.ts runs the whole service against Kafka.
import { Logger } from '@nestjs/common';
import { SessionMode } from '@remote-help/domain';
import { auditEvent, createEvent, EventContractError, type EventEnvelope, parseEvent, REPORTING_EVENTS, type SessionFacts, TOPICS } from '@remote-help/events';
import { dropDatabase, openServiceDataSource } from '@remote-help/service-kit';
import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuditLogService } from './audit/audit-log.service';
import { AuditLogStore } from './audit/audit-log.store';
import { Clock } from './common/clock';
import { DAY_MS, durationSeconds, utcDay } from './common/time';
import type { ReportingSettings } from './config';
import { ENTITIES, MIGRATIONS } from './data-source';
import { DirectoryUserStore } from './directory/directory-user.store';
import { ReportingConsumers } from './ingest/reporting-consumers';
import { MonitorService } from './monitor/monitor.service';
import { SessionStatsReader } from './monitor/session-stats.reader';
import { RetentionService } from './retention/retention.service';
import { type Ending, lifecycle } from './session-lifecycle.int-support';
import type { SessionRecord, SessionRecordFilter } from './session-record/session-record.model';
import { SessionRecordService } from './session-record/session-record.service';
import { SessionRecordStore } from './session-record/session-record.store';

Logger.overrideLogger(['error']);
const URL = `postgres://postgres@127.0.0.1:5432/rh_reporting_it_${randomBytes(4).toString('hex')}`;
jest.setTimeout(120_000);

class FakeClock extends Clock {
  at: Date | null = null;
  override now() {
    return this.at ?? new Date();
  }
}

const settings: ReportingSettings = { retentionDays: 30, sweepIntervalMs: 3_600_000 };
const clock = new FakeClock();
let ds: DataSource;
let consumers: ReportingConsumers;
let records: SessionRecordService;
let monitor: MonitorService;
let audit: AuditLogService;
let retention: RetentionService;

beforeAll(async () => {
  ds = await openServiceDataSource({ url: URL, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 4 });
  const pipeline = { register: () => undefined } as never;
  consumers = new ReportingConsumers(pipeline, new SessionRecordStore(clock, settings), new AuditLogStore(clock, settings), new DirectoryUserStore());
  const stats = new SessionStatsReader(ds);
  records = new SessionRecordService(ds, stats);
  monitor = new MonitorService(stats, clock, settings);
  audit = new AuditLogService(ds);
  retention = new RetentionService(ds, clock, settings);
});
afterAll(async () => {
  await ds?.destroy();
  await dropDatabase(URL);
});
afterEach(() => {
  clock.at = null;
});

// -------------------------------------------------------------------------------- helpers

/** Delivers events as the consumer does: each in its own transaction. */
/** Delivers events one per transaction, each parsed by its contract first, as the consumer does. */
async function deliver(events: EventEnvelope[], topic: string = TOPICS.session) {
  for (const event of events) {
    const e = parseEvent(event, topic);
    await ds.transaction((m) => (topic === TOPICS.session ? consumers.handleSession(e, m) : topic === TOPICS.audit ? consumers.handleAudit(e, m) : consumers.handleDirectory(e, m)));
  }
}

/** Delivers session or audit events as the consumer does with a run of new events: all in one transaction, set-wise. */
async function deliverBatch(events: EventEnvelope[], topic: string = TOPICS.session) {
  if (topic !== TOPICS.session && topic !== TOPICS.audit) return deliver(events, topic);
  const items = events.map((event, i) => ({ event: parseEvent(event, topic), meta: { topic, partition: 0, offset: String(i) } }));
  await ds.transaction((m) => (topic === TOPICS.session ? consumers.handleSessionBatch(items, m) : consumers.handleAuditBatch(items, m)));
}

const q = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => ds.query(sql, params);

async function activeCount(tenantId: string) {
  return monitor.activeSessionCount(tenantId);
}

/** The counts published for a tenant through the outbox, in order. */
async function publishedCounts(tenantId: string): Promise<number[]> {
  const rows = await q<{ payload: EventEnvelope<{ count: number }> }>(`SELECT payload FROM outbox WHERE topic = $1 AND key = $2 ORDER BY id`, [TOPICS.reporting, tenantId]);
  for (const r of rows) expect(r.payload.type).toBe(REPORTING_EVENTS.activeSessionCountChanged);
  return rows.map((r) => r.payload.data.count);
}

async function allRecords(tenantId: string, filter?: SessionRecordFilter, first = 7): Promise<SessionRecord[]> {
  const out: SessionRecord[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await records.page(tenantId, filter, first, after);
    out.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

// -------------------------------------------------------------------------------- tests

describe.each([
  ['one event per transaction', deliver],
  ['in batches (handleSessionBatch)', deliverBatch],
])('session records from lifecycle events, %s', (_how, deliver) => {
  it('one record per session, however often each event is delivered', async () => {
    const tenantId = randomUUID();
    const events = lifecycle({ tenantId, requestedAt: hoursAgo(2), durationSeconds: 754, elevated: true, chatUsed: true, mode: 'FULL_CONTROL' });
    await deliver([...events, ...events, ...events]);
    const rows = await q(`SELECT state, version, duration_seconds, elevation_used, chat_used, session_type FROM session_records WHERE tenant_id = $1`, [tenantId]);
    expect(rows).toEqual([{ state: 'ENDED', version: events.length, duration_seconds: 754, elevation_used: true, chat_used: true, session_type: 'FULL_CONTROL' }]);
    expect(await activeCount(tenantId)).toBe(0);
    // became ACTIVE once (1), left it once (0): one published count per change
    expect(await publishedCounts(tenantId)).toEqual([1, 0]);
    const [daily] = await q(`SELECT day::text, sessions, sessions_with_duration, total_duration_seconds::int FROM session_daily_stats WHERE tenant_id = $1`, [tenantId]);
    expect(daily).toEqual({ day: utcDay(events[0].data.requestedAt ? new Date(events[0].data.requestedAt) : new Date()), sessions: 1, sessions_with_duration: 1, total_duration_seconds: 754 });
  });

  it('ignores an event older than the record (replayed or out of order)', async () => {
    const tenantId = randomUUID();
    const events = lifecycle({ tenantId, requestedAt: hoursAgo(3), durationSeconds: 60 });
    const [requested, joined, started, ended] = events;
    await deliver([requested, joined, ended]); // "started" arrives late
    await deliver([started]);
    await deliver([joined, requested]);
    const [row] = await q(`SELECT state, version, started_at, ended_at, duration_seconds FROM session_records WHERE tenant_id = $1`, [tenantId]);
    expect(row).toMatchObject({ state: 'ENDED', version: 4, duration_seconds: 60 });
    expect(await activeCount(tenantId)).toBe(0);
    expect(await publishedCounts(tenantId)).toEqual([]); // never seen ACTIVE: no change of the count
  });

  it('counts active sessions per tenant and publishes every change', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const s1 = lifecycle({ tenantId: a, requestedAt: hoursAgo(1), ending: 'ACTIVE' });
    const s2 = lifecycle({ tenantId: a, requestedAt: hoursAgo(1), mode: 'UNATTENDED' });
    const s3 = lifecycle({ tenantId: b, requestedAt: hoursAgo(1), ending: 'ACTIVE' });
    await deliver([...s1, ...s3]);
    await deliver(s2.slice(0, 2)); // unattended: requested, started
    expect(await activeCount(a)).toBe(2);
    expect(await activeCount(b)).toBe(1);
    await deliver(s2.slice(2)); // ended
    expect(await activeCount(a)).toBe(1);
    expect(await publishedCounts(a)).toEqual([1, 2, 1]);
    expect(await publishedCounts(b)).toEqual([1]);
    expect(await activeCount(randomUUID())).toBe(0);
  });

  it('records sessions of a tenant it has never heard of under that tenant id', async () => {
    const tenantId = randomUUID();
    await deliver(lifecycle({ tenantId, requestedAt: hoursAgo(1) }));
    expect((await records.page(tenantId, null, 10, null)).edges).toHaveLength(1);
  });

  it('sets aside (does not throw on) a well-formed event it cannot apply, with the reason; malformed data never gets here', async () => {
    const tenantId = randomUUID();
    const [good] = lifecycle({ tenantId, requestedAt: hoursAgo(1) });
    // The one policy for data that does not parse: the consumer's parse refuses it (dead-letter topic).
    const noSession = createEvent({ type: 'session.requested', source: 'session-service', tenantId, subject: 'x', data: { ...good.data, sessionId: undefined } });
    expect(() => parseEvent(noSession, TOPICS.session)).toThrow(new EventContractError('session.requested: sessionId: must be a UUID'));
    const foreign = createEvent({ type: 'session.joined', source: 'session-service', tenantId: randomUUID(), subject: good.subject, data: { ...good.data, version: 5 } });
    foreign.data.tenantId = foreign.tenantId; // consistent, but the session is another tenant's
    await deliver([good, foreign]);
    const rejected = await q<{ event_id: string; reason: string; consumer: string }>(`SELECT event_id, reason, consumer FROM rejected_events WHERE event_id = ANY($1) ORDER BY reason`, [[noSession.id, foreign.id]]);
    expect(rejected).toEqual([{ event_id: foreign.id, consumer: 'sessions', reason: `session ${good.data.sessionId} belongs to another tenant` }]);
    const [row] = await q(`SELECT tenant_id, version FROM session_records WHERE session_id = $1`, [good.data.sessionId]);
    expect(row).toEqual({ tenant_id: tenantId, version: 1 });
  });

  it('ignores a session older than the retention period (it would be purged at once)', async () => {
    const tenantId = randomUUID();
    await deliver(lifecycle({ tenantId, requestedAt: new Date(Date.now() - 31 * DAY_MS), ending: 'ACTIVE' }));
    expect(await q(`SELECT 1 FROM session_records WHERE tenant_id = $1`, [tenantId])).toEqual([]);
    expect(await activeCount(tenantId)).toBe(0);
  });
});

describe('session events in batches', () => {
  /** The same 40 sessions for any tenant (random ids), their events interleaved as under load, with replays. */
  function stream(tenantId: string): EventEnvelope[] {
    const endings: Ending[] = ['ENDED', 'ACTIVE', 'DECLINED', 'EXPIRED', 'WAITING_FOR_SHARER'];
    const modes = ['VIEW_ONLY', 'FULL_CONTROL', 'UNATTENDED'] as const;
    const sessions = Array.from({ length: 40 }, (_, i) =>
      lifecycle({ tenantId, requestedAt: hoursAgo(1 + (i % 5) * 20), durationSeconds: 30 + i * 7, ending: endings[i % 5], mode: modes[i % 3], elevated: i % 4 === 0, chatUsed: i % 6 === 0 }),
    );
    const out: EventEnvelope[] = [];
    for (let k = 0; k < 6; k++) for (const s of sessions) if (s[k]) out.push(s[k]);
    // replays and an older event arriving late
    out.push(...out.slice(10, 25));
    out.splice(60, 0, sessions[0][0]);
    return out;
  }

  async function state(tenantId: string) {
    return {
      records: await q(
        `SELECT helper_id IS NOT NULL AS h, session_type, control_mode, state, elevation_used, chat_used, requested_at, started_at, ended_at, duration_seconds, end_reason, version
         FROM session_records WHERE tenant_id = $1 ORDER BY requested_at, started_at, ended_at, duration_seconds, version, state, session_type, control_mode, elevation_used, chat_used, end_reason`,
        [tenantId],
      ),
      daily: await q(`SELECT day::text, session_type, sessions, sessions_with_duration, total_duration_seconds::int FROM session_daily_stats WHERE tenant_id = $1 ORDER BY 1, 2`, [tenantId]),
      active: await activeCount(tenantId),
      published: await publishedCounts(tenantId),
    };
  }

  it('have exactly the effect of one event at a time: records, daily totals, active count and every published count', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const eventsA = stream(a);
    await deliver(eventsA);
    const eventsB = stream(b);
    // the same structure: equal requested times per position, so the records compare equal
    eventsB.forEach((e, i) => {
      (e.data as SessionFacts).requestedAt = (eventsA[i].data as SessionFacts).requestedAt;
      (e.data as SessionFacts).startedAt = (eventsA[i].data as SessionFacts).startedAt;
      (e.data as SessionFacts).endedAt = (eventsA[i].data as SessionFacts).endedAt;
    });
    for (let i = 0; i < eventsB.length; i += 7) await deliverBatch(eventsB.slice(i, i + 7));
    const [sa, sb] = [await state(a), await state(b)];
    expect(sa.records).toHaveLength(40);
    expect(sa.active).toBeGreaterThan(0);
    expect(sb).toEqual(sa);
  });
});

describe('the "Remote Help sessions" report', () => {
  const tenantId = randomUUID();
  const otherTenant = randomUUID();
  const helpers = [randomUUID(), randomUUID(), randomUUID()];
  const sharers = [randomUUID(), randomUUID()];
  const devices = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const sessions: SessionFacts[] = [];

  beforeAll(async () => {
    const endings: Ending[] = ['ENDED', 'DECLINED', 'EXPIRED', 'ACTIVE', 'WAITING_FOR_SHARER'];
    const modes: SessionFacts['requestedMode'][] = ['VIEW_ONLY', 'FULL_CONTROL', 'UNATTENDED'];
    for (let i = 0; i < 60; i++) {
      const mode = modes[i % 3];
      const events = lifecycle({
        tenantId,
        helperId: helpers[i % 3],
        sharerId: mode === 'UNATTENDED' ? null : sharers[i % 2],
        deviceId: devices[i % 4],
        mode,
        // two sessions at the very same time, to page through ties
        requestedAt: new Date(Date.now() - 2 * DAY_MS - Math.floor(i / 2) * 7 * 3_600_000),
        durationSeconds: 60 + i * 13,
        ending: endings[i % endings.length],
        enrolled: i % 5 !== 0,
        elevated: i % 7 === 0,
      });
      sessions.push(events[events.length - 1].data);
      await deliver(events);
    }
    await deliver(lifecycle({ tenantId: otherTenant, helperId: helpers[0], sharerId: sharers[0], deviceId: devices[0], requestedAt: hoursAgo(5) }));
    // Names: one sharer known by display name, the other only by UPN (empty display name).
    const user = (id: string, upn: string, displayName: string, version: number) =>
      createEvent({
        type: 'user.upserted',
        source: 'tenant-service',
        tenantId,
        subject: id,
        data: { id, tenantId, userPrincipalName: upn, displayName, givenName: null, surname: null, jobTitle: null, companyName: null, profilePictureUrl: null, licenses: [], version },
      });
    await deliver([user(sharers[0], 'ann@contoso.com', 'Ann Example', 2), user(sharers[0], 'old@contoso.com', 'Old Name', 1), user(sharers[1], 'bob@contoso.com', '', 1)], TOPICS.tenant);
  });

  const expected = (pred: (s: SessionFacts) => boolean) =>
    sessions
      .filter(pred)
      .sort((x, y) => Date.parse(y.requestedAt) - Date.parse(x.requestedAt) || (y.sessionId > x.sessionId ? 1 : -1))
      .map((s) => s.sessionId);

  it('pages through every record once, newest first, with the total count', async () => {
    const list = await allRecords(tenantId);
    expect(list.map((r) => r.sessionId)).toEqual(expected(() => true));
    const page = await records.page(tenantId, null, 5, null);
    expect(await page.countTotal()).toBe(60);
  });

  it('shows each session as the report does', async () => {
    const list = await allRecords(tenantId, undefined, 500);
    for (const s of sessions) {
      const r = list.find((x) => x.sessionId === s.sessionId)!;
      expect(r.provider).toEqual({ id: s.helperId });
      expect(r.recipient).toEqual(s.sharerId ? { id: s.sharerId } : null);
      expect(r.recipientDisplay).toBe(s.sharerId === null ? '--' : s.sharerId === sharers[0] ? 'Ann Example' : 'bob@contoso.com');
      expect(r.device).toEqual(s.deviceEnrolled ? { id: s.deviceId } : null);
      expect(r.deviceId).toBe(s.deviceId);
      expect(r.sessionType).toBe(s.requestedMode);
      expect(r.outcome).toBe(s.state);
      expect(r.elevationUsed).toBe(s.elevated);
      expect(r.startedAt?.toISOString() ?? null).toBe(s.startedAt);
      expect(r.endedAt?.toISOString() ?? null).toBe(s.endedAt);
      expect(r.durationSeconds).toBe(durationSeconds(s.startedAt ? new Date(s.startedAt) : null, s.endedAt ? new Date(s.endedAt) : null));
      expect(r.reason).toBe('INC-1234');
    }
    // a session that joined and ended shows its recipient; one that never got a sharer shows "--"
    expect(list.some((r) => r.recipient === null && r.sessionType === SessionMode.VIEW_ONLY && r.recipientDisplay === '--')).toBe(true);
  });

  it.each<[string, (s: SessionFacts) => boolean, SessionRecordFilter]>([
    ['provider', (s) => s.helperId === helpers[1], { providerId: helpers[1] }],
    ['recipient', (s) => s.sharerId === sharers[0], { recipientId: sharers[0].toUpperCase() }],
    ['device', (s) => s.deviceId === devices[2], { deviceId: devices[2] }],
    ['type', (s) => s.requestedMode === 'UNATTENDED', { sessionType: SessionMode.UNATTENDED }],
    ['device and type', (s) => s.deviceId === devices[1] && s.requestedMode === 'FULL_CONTROL', { deviceId: devices[1], sessionType: SessionMode.FULL_CONTROL }],
  ])('filters by %s (with the total count)', async (_what, pred, filter) => {
    expect((await allRecords(tenantId, filter, 4)).map((r) => r.sessionId)).toEqual(expected(pred));
    expect(await (await records.page(tenantId, filter, 1, null)).countTotal()).toBe(expected(pred).length);
  });

  it('filters by time: from inclusive, to exclusive, on requestedAt (with the total count over partial days)', async () => {
    const times = sessions.map((s) => Date.parse(s.requestedAt)).sort((x, y) => x - y);
    for (const [i, j] of [
      [3, 40],
      [0, 59],
      [10, 11],
      [20, 20],
    ]) {
      const from = new Date(times[i]);
      const to = new Date(times[j]);
      const pred = (s: SessionFacts) => Date.parse(s.requestedAt) >= from.getTime() && Date.parse(s.requestedAt) < to.getTime();
      expect((await allRecords(tenantId, { from, to }, 9)).map((r) => r.sessionId)).toEqual(expected(pred));
      expect(await (await records.page(tenantId, { from, to }, 0, null)).countTotal()).toBe(expected(pred).length);
      expect(await (await records.page(tenantId, { from, to, sessionType: SessionMode.VIEW_ONLY }, 0, null)).countTotal()).toBe(expected((s) => pred(s) && s.requestedMode === 'VIEW_ONLY').length);
    }
  });

  it("never shows another tenant's sessions, even when asked for its helper or device", async () => {
    const list = await allRecords(tenantId, { providerId: helpers[0], deviceId: devices[0] }, 500);
    expect(list.every((r) => sessions.some((s) => s.sessionId === r.sessionId))).toBe(true);
    const other = await allRecords(otherTenant, undefined, 500);
    expect(other).toHaveLength(1);
    expect(other[0].recipientDisplay).toBe(sharers[0]); // that tenant never announced the name: the id
  });

  it('monitors active sessions, totals, average duration, types and days over any range', async () => {
    const now = new Date();
    for (const [fromH, toH] of [
      [24 * 30, 0],
      [24 * 5 + 7, 24 * 2 + 3],
      [24 * 10, 24 * 9.5],
      [24 * 8 - 13, 24 * 3],
    ]) {
      const from = new Date(now.getTime() - fromH * 3_600_000);
      const to = new Date(now.getTime() - toH * 3_600_000);
      const inRange = sessions.filter((s) => Date.parse(s.requestedAt) >= from.getTime() && Date.parse(s.requestedAt) < to.getTime());
      const durations = inRange.map((s) => durationSeconds(s.startedAt ? new Date(s.startedAt) : null, s.endedAt ? new Date(s.endedAt) : null)).filter((d): d is number => d !== null);
      const m = await monitor.monitor(tenantId, from, to);
      expect(m.activeSessions).toBe(sessions.filter((s) => s.state === 'ACTIVE').length);
      expect(m.totalSessions).toBe(inRange.length);
      expect(m.averageDurationSeconds).toBe(durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : null);
      expect(m.sessionsByType).toEqual(['VIEW_ONLY', 'FULL_CONTROL', 'UNATTENDED'].map((t) => ({ sessionType: t, count: inRange.filter((s) => s.requestedMode === t).length })));
      const byDay = new Map<string, { sessions: number; totalDurationSeconds: number }>();
      for (const s of inRange) {
        const d = byDay.get(utcDay(new Date(s.requestedAt))) ?? { sessions: 0, totalDurationSeconds: 0 };
        d.sessions++;
        d.totalDurationSeconds += durationSeconds(s.startedAt ? new Date(s.startedAt) : null, s.endedAt ? new Date(s.endedAt) : null) ?? 0;
        byDay.set(utcDay(new Date(s.requestedAt)), d);
      }
      expect(m.daily[0].date).toBe(utcDay(from));
      expect(m.daily[m.daily.length - 1].date).toBe(utcDay(new Date(to.getTime() - 1)));
      for (const d of m.daily) expect({ sessions: d.sessions, totalDurationSeconds: d.totalDurationSeconds }).toEqual(byDay.get(d.date) ?? { sessions: 0, totalDurationSeconds: 0 });
    }
  });

  it('defaults the monitor to the retention period up to now, and refuses bad ranges', async () => {
    clock.at = new Date();
    const m = await monitor.monitor(tenantId, null, null);
    expect(m.totalSessions).toBe(60);
    expect(m.daily).toHaveLength(31);
    expect(m.daily[m.daily.length - 1].date).toBe(utcDay(clock.at));
    await expect(monitor.monitor(tenantId, new Date(), new Date(Date.now() - 1000))).rejects.toThrow(/from must not be after to/);
    await expect(monitor.monitor(tenantId, new Date(Date.now() - 400 * DAY_MS), new Date())).rejects.toThrow(/366 days/);
    const empty = await monitor.monitor(randomUUID(), null, null);
    expect(empty).toMatchObject({ activeSessions: 0, totalSessions: 0, averageDurationSeconds: null });
  });
});

describe.each([
  ['one event per transaction', deliver],
  ['in batches (handleAuditBatch)', deliverBatch],
])('the audit log, %s', (_how, deliver) => {
  it('records each audit event once and pages it newest first, by category, with actors', async () => {
    const tenantId = randomUUID();
    const admin = randomUUID();
    const events = Array.from({ length: 25 }, (_, i) =>
      auditEvent({
        source: 'tenant-service',
        tenantId,
        time: new Date(Date.now() - (25 - i) * 60_000),
        actorId: i % 5 === 0 ? null : admin,
        category: i % 2 ? 'Settings' : 'Role',
        activity: `activity ${i}`,
        targetId: randomUUID(),
        result: i % 3 ? 'Success' : 'Failure',
        details: i === 1 ? 'remoteHelpEnabled: true' : undefined,
      }),
    );
    await deliver([...events, ...events], TOPICS.audit);
    await deliver([auditEvent({ source: 'x', tenantId: randomUUID(), actorId: admin, category: 'Role', activity: 'elsewhere', targetId: null, result: 'Success' })], TOPICS.audit);
    const all: string[] = [];
    let after: string | null = null;
    do {
      const page = await audit.page(tenantId, { first: 4, after });
      all.push(...page.edges.map((e) => e.node.activity));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(all).toEqual(events.map((e) => e.data.activity).reverse());
    const settings = await audit.page(tenantId, { category: 'Settings', first: 100 });
    expect(settings.edges.map((e) => e.node.activity)).toEqual(
      events
        .filter((e) => e.data.category === 'Settings')
        .map((e) => e.data.activity)
        .reverse(),
    );
    const first = settings.edges[settings.edges.length - 1].node;
    expect(first).toMatchObject({ activity: 'activity 1', actor: { id: admin }, actorKind: 'user', result: 'Success', details: 'remoteHelpEnabled: true' });
    const system = (await audit.page(tenantId, { first: 100 })).edges.find((e) => e.node.activity === 'activity 0')!.node;
    expect(system).toMatchObject({ actor: null, actorId: null, actorKind: 'system', result: 'Failure' });
    const ranged = await audit.page(tenantId, { from: events[5].time ? new Date(events[5].time) : null, to: new Date(events[8].time), first: 100 });
    expect(ranged.edges.map((e) => e.node.activity)).toEqual(['activity 7', 'activity 6', 'activity 5']);
    await expect(audit.page(tenantId, { first: 501 })).rejects.toThrow(/first must be between 0 and 500/);
  });

  it('never gets an event of the audit topic that is not an audit record: the parse refuses it (dead-letter topic)', async () => {
    const tenantId = randomUUID();
    const bogus = createEvent({ type: 'audit.recorded', source: 'x', tenantId, subject: tenantId, data: { category: 'Role' } });
    expect(() => parseEvent(bogus, TOPICS.audit)).toThrow(/audit\.recorded: actorId: .*; activity: /);
    const [lifecycleEvent] = lifecycle({ tenantId, requestedAt: hoursAgo(1) });
    expect(() => parseEvent(lifecycleEvent, TOPICS.audit)).toThrow('session.requested belongs on the topic remote-help.session.v1, not on remote-help.audit.v1');
  });
});

describe('retention', () => {
  it('purges session records and audit events older than 30 days, keeps younger ones, and keeps the totals and counts exact', async () => {
    const tenantId = randomUUID();
    const now = new Date();
    // Events that arrived in time (the clock 5 days back), now 31 and 29 days old.
    clock.at = new Date(now.getTime() - 5 * DAY_MS);
    const old = lifecycle({ tenantId, requestedAt: new Date(now.getTime() - 31 * DAY_MS), durationSeconds: 100 });
    const oldActive = lifecycle({ tenantId, requestedAt: new Date(now.getTime() - 31 * DAY_MS + 60_000), ending: 'ACTIVE' });
    const young = lifecycle({ tenantId, requestedAt: new Date(now.getTime() - 29 * DAY_MS), durationSeconds: 200 });
    await deliver([...old, ...oldActive, ...young]);
    const oldAudit = auditEvent({ source: 's', tenantId, time: new Date(now.getTime() - 31 * DAY_MS), actorId: null, category: 'Role', activity: 'old', targetId: null, result: 'Success' });
    const youngAudit = auditEvent({ source: 's', tenantId, time: new Date(now.getTime() - 29 * DAY_MS), actorId: null, category: 'Role', activity: 'young', targetId: null, result: 'Success' });
    await deliver([oldAudit, youngAudit], TOPICS.audit);
    await q(`INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ('test', $1, $2), ('test', $3, $4)`, [
      randomUUID(),
      new Date(now.getTime() - 31 * DAY_MS),
      randomUUID(),
      new Date(now.getTime() - 29 * DAY_MS),
    ]);
    expect(await activeCount(tenantId)).toBe(1);
    clock.at = null;

    const result = await retention.sweep(now);
    // the old audit event and the audit lines of the old sessions' events
    expect(result).toMatchObject({ sessionRecords: 2, auditEvents: 1 + old.length + oldActive.length, processedEvents: 1, skipped: false });
    const left = await allRecords(tenantId, undefined, 50);
    expect(left.map((r) => r.sessionId)).toEqual([young[0].data.sessionId]);
    expect((await audit.page(tenantId, { category: 'Role', first: 50 })).edges.map((e) => e.node.activity)).toEqual(['young']);
    expect((await audit.page(tenantId, { category: 'RemoteHelp', first: 50 })).edges.map((e) => e.node.targetId)).toEqual(young.map(() => young[0].data.sessionId));
    // the purged ACTIVE record leaves the count, and that change is published like any other
    expect(await activeCount(tenantId)).toBe(0);
    expect(await publishedCounts(tenantId)).toEqual([1, 0, 1, 2, 1, 0]); // old ended, old started, young started and ended, purge
    // daily totals: only the young session is left
    const totals = await q(`SELECT day::text, sessions, total_duration_seconds::int FROM session_daily_stats WHERE tenant_id = $1`, [tenantId]);
    expect(totals).toEqual([{ day: utcDay(young[0].data.requestedAt ? new Date(young[0].data.requestedAt) : now), sessions: 1, total_duration_seconds: 200 }]);
    expect(await (await records.page(tenantId, null, 0, null)).countTotal()).toBe(1);
    // nothing younger than the cutoff is touched by a second sweep
    expect(await retention.sweep(now)).toMatchObject({ sessionRecords: 0, auditEvents: 0 });
    expect(await allRecords(tenantId)).toHaveLength(1);
  });
});
