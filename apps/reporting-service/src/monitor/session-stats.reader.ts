import { Injectable } from '@nestjs/common';
import { SessionMode } from '@remote-help/domain';
import { DataSource } from 'typeorm';
import { type DayTypeStats, planMonitorRange } from './monitor-math';

/** The earliest and latest times an open range stands for. */
export const EARLIEST = new Date(0);
export const LATEST = new Date(Date.UTC(9999, 11, 31));

/**
 * Sessions per UTC day and session type in [from, to) for one tenant: whole days from the daily
 * totals, the partial days at either end counted from the session records (see planMonitorRange).
 * One statement, so one snapshot.
 */
@Injectable()
export class SessionStatsReader {
  constructor(private readonly dataSource: DataSource) {}

  async dayTypeStats(tenantId: string, from: Date, to: Date, sessionType: SessionMode | null = null): Promise<DayTypeStats[]> {
    const plan = planMonitorRange(from, to);
    const params: unknown[] = [tenantId];
    const p = (v: unknown) => (params.push(v), `$${params.length}`);
    const typeCond = (col: string) => (sessionType ? ` AND ${col} = ${p(sessionType)}` : '');
    const parts: string[] = [];
    if (plan.fullDays) {
      parts.push(
        `SELECT day::text AS day, session_type, sessions, sessions_with_duration, total_duration_seconds FROM session_daily_stats
         WHERE tenant_id = $1 AND day >= ${p(plan.fullDays.from)}::date AND day < ${p(plan.fullDays.to)}::date${typeCond('session_type')}`,
      );
    }
    for (const r of plan.rawRanges) {
      // Within one UTC day: an index-only range scan (session_records_tenant_time covers the type and duration).
      parts.push(
        `SELECT ${p(r.day)}::text AS day, session_type, count(*)::int AS sessions,
                count(duration_seconds)::int AS sessions_with_duration, coalesce(sum(duration_seconds), 0)::bigint AS total_duration_seconds
         FROM session_records WHERE tenant_id = $1 AND requested_at >= ${p(r.from)} AND requested_at < ${p(r.to)}${typeCond('session_type')}
         GROUP BY session_type`,
      );
    }
    if (!parts.length) return [];
    const rows: { day: string; session_type: SessionMode; sessions: number; sessions_with_duration: number; total_duration_seconds: string }[] = await this.dataSource.query(parts.join(' UNION ALL '), params);
    return rows
      .map((r) => ({
        day: r.day,
        sessionType: r.session_type,
        sessions: Number(r.sessions),
        sessionsWithDuration: Number(r.sessions_with_duration),
        totalDurationSeconds: Number(r.total_duration_seconds),
      }))
      .filter((r) => r.sessions > 0);
  }

  async activeSessions(tenantId: string): Promise<number> {
    const rows: { active_sessions: number }[] = await this.dataSource.query(`SELECT active_sessions FROM active_session_counts WHERE tenant_id = $1`, [tenantId]);
    return rows[0]?.active_sessions ?? 0;
  }
}
