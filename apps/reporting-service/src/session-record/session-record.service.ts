import { Injectable } from '@nestjs/common';
import { EndReason, SessionMode, SessionState } from '@remote-help/domain';
import { DataSource } from 'typeorm';
import { cutPage, decodeCursor, encodeCursor, pageSize } from '../common/page';
import { EARLIEST, LATEST, SessionStatsReader } from '../monitor/session-stats.reader';
import { SessionRecord, SessionRecordConnection, SessionRecordFilter } from './session-record.model';
import { filtersById, type SessionQuery, sessionQuery, sessionWhere } from './session-record.query';

/**
 * The report's rows matching `where` (over `session_records s`), newest first: what a page and
 * the CSV export read. `provider_display` is the helper's name as the local copy of the directory
 * knows it (display name, else sign-in name, else id).
 */
export function sessionRecordsSql(where: string): string {
  return `SELECT s.session_id, s.helper_id, s.sharer_id, s.device_id, s.device_enrolled, s.session_type, s.elevation_used, s.chat_used,
              s.requested_at, s.started_at, s.ended_at, s.duration_seconds, s.state, s.end_reason, s.reason,
              CASE WHEN s.sharer_id IS NULL THEN '--' ELSE COALESCE(NULLIF(u.display_name, ''), u.user_principal_name, s.sharer_id::text) END AS recipient_display,
              COALESCE(NULLIF(h.display_name, ''), h.user_principal_name, s.helper_id::text) AS provider_display
       FROM session_records s
       LEFT JOIN directory_users u ON u.id = s.sharer_id AND u.tenant_id = s.tenant_id
       LEFT JOIN directory_users h ON h.id = s.helper_id AND h.tenant_id = s.tenant_id
       WHERE ${where}
       ORDER BY s.requested_at DESC, s.session_id DESC`;
}

export interface Row {
  session_id: string;
  helper_id: string;
  sharer_id: string | null;
  device_id: string;
  device_enrolled: boolean;
  session_type: SessionMode;
  elevation_used: boolean;
  chat_used: boolean;
  requested_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  duration_seconds: number | null;
  state: SessionState;
  end_reason: EndReason | null;
  reason: string | null;
  recipient_display: string;
  provider_display: string;
}

/** The "Remote Help sessions" report of one tenant: newest first, keyset-paged. */
@Injectable()
export class SessionRecordService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stats: SessionStatsReader,
  ) {}

  async page(tenantId: string, filter: SessionRecordFilter | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<SessionRecordConnection> {
    const q = sessionQuery(tenantId, filter);
    const size = pageSize(first);
    const where = sessionWhere(q, decodeCursor('sessions', after));
    const rows: Row[] = await this.dataSource.query(`${sessionRecordsSql(where.sql)} LIMIT ${size + 1}`, where.params);
    const { items, pageInfo } = cutPage(rows.map(toRecord), size, (r) => encodeCursor('sessions', r.requestedAt, r.sessionId));
    return { edges: items, pageInfo, countTotal: () => this.count(q) };
  }

  /** Sessions matching the filter (all pages): from the daily totals unless the filter names a helper, sharer or device. */
  async count(q: SessionQuery): Promise<number> {
    if (!filtersById(q)) {
      const stats = await this.stats.dayTypeStats(q.tenantId, q.from ?? EARLIEST, q.to ?? LATEST, q.sessionType);
      return stats.reduce((n, s) => n + s.sessions, 0);
    }
    const where = sessionWhere(q);
    const rows: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM session_records s WHERE ${where.sql}`, where.params);
    return rows[0].n;
  }
}

export function toRecord(r: Row): SessionRecord {
  return {
    sessionId: r.session_id,
    provider: { id: r.helper_id },
    recipient: r.sharer_id ? { id: r.sharer_id } : null,
    recipientDisplay: r.recipient_display,
    device: r.device_enrolled ? { id: r.device_id } : null,
    deviceId: r.device_id,
    deviceEnrolled: r.device_enrolled,
    sessionType: r.session_type,
    elevationUsed: r.elevation_used,
    chatUsed: r.chat_used,
    requestedAt: r.requested_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    durationSeconds: r.duration_seconds,
    outcome: r.state,
    endReason: r.end_reason,
    reason: r.reason,
  };
}
