import { Inject, Injectable } from '@nestjs/common';
import { SessionState } from '@remote-help/domain';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { durationSeconds, retentionCutoff, utcDay } from '../common/time';
import { REPORTING_SETTINGS, type ReportingSettings } from '../config';
import { RejectedEventError, type SessionFactsData } from '../ingest/event-data';
import { changeActiveCount } from '../monitor/active-count';

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
      `UPDATE session_records SET ${COLUMNS.slice(1).map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now() WHERE session_id = $1`,
      values(f),
    );
    await this.afterChange(m, current, f, now);
    return 'updated';
  }

  private async lock(m: EntityManager, sessionId: string): Promise<StoredRecord | undefined> {
    const rows: StoredRecord[] = await m.query(
      `SELECT tenant_id, version, state, session_type, requested_at, duration_seconds FROM session_records WHERE session_id = $1 FOR UPDATE`,
      [sessionId],
    );
    return rows[0];
  }

  private async afterChange(m: EntityManager, before: StoredRecord | null, f: SessionFactsData, now: Date) {
    const wasActive = before?.state === SessionState.ACTIVE;
    const isActive = f.state === SessionState.ACTIVE;
    if (wasActive !== isActive) await changeActiveCount(m, f.tenantId, isActive ? 1 : -1, now);

    const old: Contribution | null = before
      ? { day: utcDay(new Date(before.requested_at)), sessionType: before.session_type, durationSeconds: before.duration_seconds }
      : null;
    const next: Contribution = { day: utcDay(f.requestedAt), sessionType: f.requestedMode, durationSeconds: durationSeconds(f.startedAt, f.endedAt) };
    if (old && old.day === next.day && old.sessionType === next.sessionType) {
      await addToDailyStats(m, f.tenantId, next, 0, withDuration(next) - withDuration(old), (next.durationSeconds ?? 0) - (old.durationSeconds ?? 0));
    } else {
      if (old) await addToDailyStats(m, f.tenantId, old, -1, -withDuration(old), -(old.durationSeconds ?? 0));
      await addToDailyStats(m, f.tenantId, next, 1, withDuration(next), next.durationSeconds ?? 0);
    }
  }
}

const withDuration = (c: Contribution) => (c.durationSeconds === null ? 0 : 1);

async function addToDailyStats(m: EntityManager, tenantId: string, c: Contribution, sessions: number, withDur: number, seconds: number) {
  if (sessions === 0 && withDur === 0 && seconds === 0) return;
  await m.query(
    `INSERT INTO session_daily_stats (tenant_id, day, session_type, sessions, sessions_with_duration, total_duration_seconds) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, day, session_type) DO UPDATE SET
       sessions = session_daily_stats.sessions + EXCLUDED.sessions,
       sessions_with_duration = session_daily_stats.sessions_with_duration + EXCLUDED.sessions_with_duration,
       total_duration_seconds = session_daily_stats.total_duration_seconds + EXCLUDED.total_duration_seconds`,
    [tenantId, c.day, c.sessionType, sessions, withDur, seconds],
  );
}

const COLUMNS = [
  'session_id', 'tenant_id', 'helper_id', 'sharer_id', 'device_id', 'device_enrolled', 'platform', 'session_type', 'control_mode', 'state',
  'elevation_used', 'chat_enabled', 'chat_used', 'reason', 'requested_at', 'started_at', 'ended_at', 'duration_seconds', 'end_reason', 'version',
];

function values(f: SessionFactsData): unknown[] {
  return [
    f.sessionId, f.tenantId, f.helperId, f.sharerId, f.deviceId, f.deviceEnrolled, f.platform, f.requestedMode, f.mode, f.state,
    f.elevated, f.chatEnabled, f.chatUsed, f.reason, f.requestedAt, f.startedAt, f.endedAt, durationSeconds(f.startedAt, f.endedAt), f.endReason, f.version,
  ];
}
