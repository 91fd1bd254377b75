import { Inject, Injectable } from '@nestjs/common';
import { SessionState } from '@remote-help/domain';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { durationSeconds, retentionCutoff, utcDay } from '../common/time';
import { REPORTING_SETTINGS, type ReportingSettings } from '../config';
import { RejectedEventError, type SessionFactsData } from '../ingest/event-data';
import { changeActiveCountSteps } from '../monitor/active-count';

/** What a session record adds to the daily totals (`session_daily_stats`). */
interface Contribution {
  day: string;
  sessionType: string;
  durationSeconds: number | null;
}

interface StoredRecord {
  tenant_id: string;
  version: number;
  state: string;
  session_type: string;
  requested_at: Date;
  duration_seconds: number | null;
}

export type ApplyOutcome = 'created' | 'updated' | 'stale' | 'expired';

/** What `applyMany` did with each event: an outcome, or the reason the event is refused. */
export type BatchOutcome = ApplyOutcome | RejectedEventError;

/** Thrown by `applyMany` when a record it meant to create was created meanwhile: apply the events one by one. */
export class ConcurrentRecordError extends Error {
  override readonly name = 'ConcurrentRecordError';
}

/** What one event or a batch of events changes beyond the records, gathered in memory and written set-wise (writeChanges). */
class BatchChanges {
  readonly activeSteps = new Map<string, number[]>();
  readonly dailyStats = new Map<string, { tenantId: string; day: string; sessionType: string; sessions: number; withDur: number; seconds: number }>();

  change(before: StoredRecord | null, f: SessionFactsData) {
    const wasActive = before?.state === SessionState.ACTIVE;
    const isActive = f.state === SessionState.ACTIVE;
    if (wasActive !== isActive) {
      const steps = this.activeSteps.get(f.tenantId) ?? [];
      steps.push(isActive ? 1 : -1);
      this.activeSteps.set(f.tenantId, steps);
    }
    const old: Contribution | null = before ? { day: utcDay(new Date(before.requested_at)), sessionType: before.session_type, durationSeconds: before.duration_seconds } : null;
    const next: Contribution = { day: utcDay(f.requestedAt), sessionType: f.requestedMode, durationSeconds: durationSeconds(f.startedAt, f.endedAt) };
    if (old) this.add(f.tenantId, old, -1, -withDuration(old), -(old.durationSeconds ?? 0));
    this.add(f.tenantId, next, 1, withDuration(next), next.durationSeconds ?? 0);
  }

  private add(tenantId: string, c: Contribution, sessions: number, withDur: number, seconds: number) {
    const key = `${tenantId}|${c.day}|${c.sessionType}`;
    const row = this.dailyStats.get(key) ?? { tenantId, day: c.day, sessionType: c.sessionType, sessions: 0, withDur: 0, seconds: 0 };
    row.sessions += sessions;
    row.withDur += withDur;
    row.seconds += seconds;
    this.dailyStats.set(key, row);
  }
}

/**
 * Turns session lifecycle events into session records (one per session), inside the
 * transaction that records the event as processed. An event applies only when its `version` is
 * newer than the record's, so a replayed or out-of-order older event changes nothing. In the
 * same transaction it keeps the daily totals and the tenant's active count exact, and publishes
 * each change of that count.
 */
@Injectable()
export class SessionRecordStore {
  constructor(
    private readonly clock: Clock,
    @Inject(REPORTING_SETTINGS) private readonly settings: ReportingSettings,
  ) {}

  async apply(m: EntityManager, f: SessionFactsData): Promise<ApplyOutcome> {
    const now = this.clock.now();
    // Older than what the reports keep: the retention job would delete it at once (and a
    // re-delivered ancient ACTIVE event must not count as active again).
    if (f.requestedAt.getTime() < retentionCutoff(now, this.settings.retentionDays).getTime()) return 'expired';

    let current = await this.lock(m, f.sessionId);
    if (!current) {
      const inserted: unknown[] = await m.query(
        `INSERT INTO session_records (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
         ON CONFLICT (session_id) DO NOTHING RETURNING session_id`,
        values(f),
      );
      if (inserted.length) {
        await this.afterChange(m, null, f, now);
        return 'created';
      }
      current = await this.lock(m, f.sessionId); // inserted meanwhile by a concurrent delivery
      if (!current) throw new Error(`session record ${f.sessionId} vanished`);
    }
    if (current.tenant_id !== f.tenantId) throw new RejectedEventError(`session ${f.sessionId} belongs to another tenant`);
    if (current.version >= f.version) return 'stale';
    await m.query(
      `UPDATE session_records SET ${COLUMNS.slice(1)
        .map((c, i) => `${c} = $${i + 2}`)
        .join(', ')}, updated_at = now() WHERE session_id = $1`,
      values(f),
    );
    await this.afterChange(m, current, f, now);
    return 'updated';
  }

  /**
   * The effect of `apply` on each event in order, set-wise: the records are locked, the events
   * applied in memory (same rules: retention, tenant, version), then the records, the active
   * counts (one published count per change, as `apply` publishes) and the daily totals are
   * written with a few statements. Throws ConcurrentRecordError if a record appeared meanwhile.
   */
  async applyMany(m: EntityManager, facts: SessionFactsData[]): Promise<BatchOutcome[]> {
    const now = this.clock.now();
    const cutoff = retentionCutoff(now, this.settings.retentionDays).getTime();
    const ids = [...new Set(facts.filter((f) => f.requestedAt.getTime() >= cutoff).map((f) => f.sessionId))];
    const stored: (StoredRecord & { session_id: string })[] = ids.length
      ? await m.query(`SELECT session_id, tenant_id, version, state, session_type, requested_at, duration_seconds FROM session_records WHERE session_id = ANY($1::uuid[]) ORDER BY session_id FOR UPDATE`, [ids])
      : [];
    const current = new Map<string, StoredRecord | null>(ids.map((id) => [id, null]));
    for (const r of stored) current.set(r.session_id, r);
    const existed = new Set(stored.map((r) => r.session_id));
    const latest = new Map<string, SessionFactsData>();
    const changes = new BatchChanges();

    const outcomes = facts.map((f): BatchOutcome => {
      if (f.requestedAt.getTime() < cutoff) return 'expired';
      const before = current.get(f.sessionId) ?? null;
      if (before && before.tenant_id !== f.tenantId) return new RejectedEventError(`session ${f.sessionId} belongs to another tenant`);
      if (before && before.version >= f.version) return 'stale';
      changes.change(before, f);
      current.set(f.sessionId, {
        tenant_id: f.tenantId,
        version: f.version,
        state: f.state,
        session_type: f.requestedMode,
        requested_at: f.requestedAt,
        duration_seconds: durationSeconds(f.startedAt, f.endedAt),
      });
      latest.set(f.sessionId, f);
      return before ? 'updated' : 'created';
    });

    const created = [...latest.values()].filter((f) => !existed.has(f.sessionId));
    const updated = [...latest.values()].filter((f) => existed.has(f.sessionId));
    if (created.length) {
      const inserted: unknown[] = await m.query(
        `INSERT INTO session_records (${COLUMNS.join(', ')}) SELECT ${COLUMNS.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS x(${RECORD_TYPES})
         ON CONFLICT (session_id) DO NOTHING RETURNING session_id`,
        [JSON.stringify(created.map(row))],
      );
      if (inserted.length !== created.length) throw new ConcurrentRecordError(`${created.length - inserted.length} session record(s) were created meanwhile`);
    }
    if (updated.length) {
      await m.query(
        `UPDATE session_records s SET ${COLUMNS.slice(1)
          .map((c) => `${c} = x.${c}`)
          .join(', ')}, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS x(${RECORD_TYPES}) WHERE s.session_id = x.session_id AND s.session_id = ANY($2::uuid[])`,
        // The ANY makes the records an index lookup: the planner cannot estimate the rows of
        // jsonb_to_recordset and would otherwise hash-join it against the whole table.
        [JSON.stringify(updated.map(row)), updated.map((f) => f.sessionId)],
      );
    }
    await writeChanges(m, changes, now);
    return outcomes;
  }

  private async lock(m: EntityManager, sessionId: string): Promise<StoredRecord | undefined> {
    const rows: StoredRecord[] = await m.query(`SELECT tenant_id, version, state, session_type, requested_at, duration_seconds FROM session_records WHERE session_id = $1 FOR UPDATE`, [sessionId]);
    return rows[0];
  }

  private async afterChange(m: EntityManager, before: StoredRecord | null, f: SessionFactsData, now: Date) {
    const changes = new BatchChanges();
    changes.change(before, f);
    await writeChanges(m, changes, now);
  }
}

const withDuration = (c: Contribution) => (c.durationSeconds === null ? 0 : 1);

/** Writes what a change or a batch did: the active counts (one published count per change), then the daily totals, in key order. */
async function writeChanges(m: EntityManager, changes: BatchChanges, now: Date) {
  for (const [tenantId, steps] of [...changes.activeSteps].sort(([a], [b]) => a.localeCompare(b))) await changeActiveCountSteps(m, tenantId, steps, now);
  const stats = [...changes.dailyStats.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, v]) => v)
    .filter((v) => v.sessions !== 0 || v.withDur !== 0 || v.seconds !== 0);
  if (stats.length === 0) return;
  await m.query(
    `INSERT INTO session_daily_stats (tenant_id, day, session_type, sessions, sessions_with_duration, total_duration_seconds)
     SELECT "tenantId", day, "sessionType", sessions, "withDur", seconds FROM jsonb_to_recordset($1::jsonb) AS x("tenantId" uuid, day date, "sessionType" text, sessions int, "withDur" int, seconds bigint)
     ON CONFLICT (tenant_id, day, session_type) DO UPDATE SET
       sessions = session_daily_stats.sessions + EXCLUDED.sessions,
       sessions_with_duration = session_daily_stats.sessions_with_duration + EXCLUDED.sessions_with_duration,
       total_duration_seconds = session_daily_stats.total_duration_seconds + EXCLUDED.total_duration_seconds`,
    [JSON.stringify(stats)],
  );
}

const COLUMNS = [
  'session_id',
  'tenant_id',
  'helper_id',
  'sharer_id',
  'device_id',
  'device_enrolled',
  'platform',
  'session_type',
  'control_mode',
  'state',
  'elevation_used',
  'chat_enabled',
  'chat_used',
  'reason',
  'requested_at',
  'started_at',
  'ended_at',
  'duration_seconds',
  'end_reason',
  'version',
];

const RECORD_TYPES = [
  'session_id uuid',
  'tenant_id uuid',
  'helper_id uuid',
  'sharer_id uuid',
  'device_id uuid',
  'device_enrolled boolean',
  'platform text',
  'session_type text',
  'control_mode text',
  'state text',
  'elevation_used boolean',
  'chat_enabled boolean',
  'chat_used boolean',
  'reason text',
  'requested_at timestamptz',
  'started_at timestamptz',
  'ended_at timestamptz',
  'duration_seconds integer',
  'end_reason text',
  'version integer',
].join(', ');

/** A record as a JSON object keyed by column (for jsonb_to_recordset). */
function row(f: SessionFactsData): Record<string, unknown> {
  const v = values(f);
  return Object.fromEntries(COLUMNS.map((c, i) => [c, v[i] instanceof Date ? (v[i] as Date).toISOString() : v[i]]));
}

function values(f: SessionFactsData): unknown[] {
  return [
    f.sessionId,
    f.tenantId,
    f.helperId,
    f.sharerId,
    f.deviceId,
    f.deviceEnrolled,
    f.platform,
    f.requestedMode,
    f.mode,
    f.state,
    f.elevated,
    f.chatEnabled,
    f.chatUsed,
    f.reason,
    f.requestedAt,
    f.startedAt,
    f.endedAt,
    durationSeconds(f.startedAt, f.endedAt),
    f.endReason,
    f.version,
  ];
}
