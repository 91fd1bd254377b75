import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { purgeProcessedEvents, purgeSentOutbox } from '@remote-help/events';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { DAY_MS, retentionCutoff } from '../common/time';
import { REPORTING_SETTINGS, type ReportingSettings } from '../config';
import { changeActiveCount } from '../monitor/active-count';

export interface RetentionResult {
  cutoff: Date;
  sessionRecords: number;
  auditEvents: number;
  rejectedEvents: number;
  processedEvents: number;
  sentOutbox: number;
  /** true when another instance was sweeping the session records and this one left them */
  skipped: boolean;
}

/** Rows deleted per transaction (short transactions, whatever the backlog). */
const BATCH = 5000;
/** pg advisory lock: one instance sweeps session records at a time. */
const LOCK_KEY = 0x52_45_50_54; // "REPT"

/**
 * `WITH doomed AS (<select of keys>) DELETE ... RETURNING 1` counting what it deleted ($1: the
 * cutoff). A single key is matched as `= ANY(ARRAY(...))`, which reads the rows by their primary
 * key: a join with the batch lets the planner hash the whole table instead.
 */
function deleteBatchSql(select: string, table: string, key: string): string {
  const match = key.includes(', ')
    ? `USING doomed d WHERE ${key
        .split(', ')
        .map((k) => `t.${k} = d.${k}`)
        .join(' AND ')}`
    : `WHERE t.${key} = ANY(ARRAY(SELECT ${key} FROM doomed))`;
  return `WITH doomed AS (${select}), deleted AS (DELETE FROM ${table} t ${match} RETURNING 1) SELECT count(*)::int AS n FROM deleted`;
}

/**
 * The statements a sweep sends for each batch, $1 being the cutoff. Exported so that the index
 * test runs EXPLAIN ANALYZE on these very statements (each must find its rows from an index).
 */
export const RETENTION_STATEMENTS = {
  /** One batch of session records, returning what they leave in the daily totals and active counts. */
  sessionRecords: `WITH doomed AS (
         SELECT session_id FROM session_records WHERE requested_at < $1 ORDER BY requested_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
       ), deleted AS (
         DELETE FROM session_records s WHERE s.session_id = ANY(ARRAY(SELECT session_id FROM doomed))
         RETURNING s.tenant_id, s.requested_at, s.session_type, s.duration_seconds, s.state
       )
       SELECT tenant_id, to_char(requested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, session_type, count(*)::int AS sessions,
              count(duration_seconds)::int AS with_duration, coalesce(sum(duration_seconds), 0)::bigint AS seconds,
              (count(*) FILTER (WHERE state = 'ACTIVE'))::int AS active
       FROM deleted GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  auditEvents: deleteBatchSql(`SELECT id FROM audit_events WHERE occurred_at < $1 LIMIT ${BATCH}`, 'audit_events', 'id'),
  rejectedEvents: deleteBatchSql(`SELECT consumer, event_id FROM rejected_events WHERE rejected_at < $1 LIMIT ${BATCH}`, 'rejected_events', 'consumer, event_id'),
} as const;

interface DeletedGroup {
  tenant_id: string;
  day: string;
  session_type: string;
  sessions: number;
  with_duration: number;
  seconds: string;
  active: number;
}

/**
 * Deletes what is older than REPORT_RETENTION_DAYS (default 30): session records (by
 * requestedAt), audit events (by occurredAt), set-aside events, processed event ids; and sent
 * outbox rows older than a day. Runs once at start and then every RETENTION_SWEEP_INTERVAL_MS.
 * Deleting session records takes their share off the daily totals (and, for a record still
 * ACTIVE, off the active count, published like any change) in the same transaction.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('Retention');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(REPORTING_SETTINGS) private readonly settings: ReportingSettings,
  ) {}

  onApplicationBootstrap() {
    this.timer = setInterval(() => this.runInBackground(), this.settings.sweepIntervalMs);
    this.timer.unref();
    this.runInBackground();
  }

  async beforeApplicationShutdown() {
    clearInterval(this.timer);
    await this.running;
  }

  private runInBackground() {
    if (this.running) return; // the previous sweep is still going
    this.running = this.sweep()
      .then((r) => {
        const total = r.sessionRecords + r.auditEvents + r.rejectedEvents + r.processedEvents + r.sentOutbox;
        if (total > 0) this.log.log(`deleted what is older than ${r.cutoff.toISOString()}: ${JSON.stringify({ ...r, cutoff: undefined })}`);
      })
      .catch((e) => this.log.error(`retention sweep failed (next try in ${this.settings.sweepIntervalMs} ms): ${(e as Error).message}`))
      .finally(() => (this.running = undefined));
  }

  async sweep(now: Date = this.clock.now()): Promise<RetentionResult> {
    const cutoff = retentionCutoff(now, this.settings.retentionDays);
    const result: RetentionResult = { cutoff, sessionRecords: 0, auditEvents: 0, rejectedEvents: 0, processedEvents: 0, sentOutbox: 0, skipped: false };
    for (;;) {
      const n = await this.dataSource.transaction((m) => this.deleteSessionBatch(m, cutoff, now));
      if (n === null) {
        result.skipped = true;
        break;
      }
      result.sessionRecords += n;
      if (n < BATCH) break;
    }
    result.auditEvents = await this.deleteInBatches(RETENTION_STATEMENTS.auditEvents, cutoff);
    result.rejectedEvents = await this.deleteInBatches(RETENTION_STATEMENTS.rejectedEvents, cutoff);
    result.processedEvents = await purgeProcessedEvents(this.dataSource, cutoff);
    result.sentOutbox = await purgeSentOutbox(this.dataSource, new Date(now.getTime() - DAY_MS));
    return result;
  }

  /** One batch of session records, with the daily totals and active counts they leave; null when another instance holds the lock. */
  private async deleteSessionBatch(m: EntityManager, cutoff: Date, now: Date): Promise<number | null> {
    const [{ locked }]: { locked: boolean }[] = await m.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [LOCK_KEY]);
    if (!locked) return null;
    const groups: DeletedGroup[] = await m.query(RETENTION_STATEMENTS.sessionRecords, [cutoff]);
    // Lock order as in SessionRecordStore: records, then the count of a tenant, then its daily totals.
    const activeByTenant = new Map<string, number>();
    for (const g of groups) if (g.active > 0) activeByTenant.set(g.tenant_id, (activeByTenant.get(g.tenant_id) ?? 0) + g.active);
    for (const [tenantId, active] of activeByTenant) await changeActiveCount(m, tenantId, -active, now);
    for (const g of groups) {
      await m.query(
        `UPDATE session_daily_stats SET sessions = sessions - $4, sessions_with_duration = sessions_with_duration - $5, total_duration_seconds = total_duration_seconds - $6
         WHERE tenant_id = $1 AND day = $2::date AND session_type = $3`,
        [g.tenant_id, g.day, g.session_type, g.sessions, g.with_duration, g.seconds],
      );
      await m.query(`DELETE FROM session_daily_stats WHERE tenant_id = $1 AND day = $2::date AND session_type = $3 AND sessions <= 0`, [g.tenant_id, g.day, g.session_type]);
    }
    return groups.reduce((n, g) => n + g.sessions, 0);
  }

  private async deleteInBatches(statement: string, cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const [{ n }]: { n: number }[] = await this.dataSource.query(statement, [cutoff]);
      total += n;
      if (n < BATCH) return total;
    }
  }
}
