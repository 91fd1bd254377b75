import { Injectable } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { SessionMode } from '@remote-help/domain';
import { badInput, tenantOf } from '@remote-help/service-kit';
import { stringify } from 'csv-stringify';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { auditQuery, type Row as AuditRow } from '../audit/audit-log.service';
import { sessionQuery, sessionWhere } from '../session-record/session-record.query';
import { sessionRecordsSql, type Row as SessionRow } from '../session-record/session-record.service';
import { type Cell, csvCell, NO_RECIPIENT } from './csv-cells';
import { CsvExportStore } from './csv-export.store';
import { EXPORT_FILES, ExportName } from './export-ticket.model';

/** A column of an export: its header and its cell of a row. */
interface Column<R> {
  header: string;
  cell: (r: R) => Cell;
}

/** The "Remote Help sessions" report's columns (Provider, Recipient, Device, Type, Start, End, Duration, Elevation, Chat, Reason, and the ids and states behind them). */
export const SESSION_COLUMNS: Column<SessionRow>[] = [
  { header: 'Session ID', cell: (r) => r.session_id },
  { header: 'Provider', cell: (r) => r.provider_display },
  { header: 'Provider ID', cell: (r) => r.helper_id },
  { header: 'Recipient', cell: (r) => (r.sharer_id === null ? { verbatim: NO_RECIPIENT } : r.recipient_display) },
  { header: 'Recipient ID', cell: (r) => r.sharer_id },
  { header: 'Device ID', cell: (r) => r.device_id },
  { header: 'Device enrolled', cell: (r) => r.device_enrolled },
  { header: 'Type', cell: (r) => r.session_type },
  { header: 'Requested', cell: (r) => r.requested_at },
  { header: 'Start', cell: (r) => r.started_at },
  { header: 'End', cell: (r) => r.ended_at },
  { header: 'Duration (seconds)', cell: (r) => r.duration_seconds },
  { header: 'Elevation', cell: (r) => r.elevation_used },
  { header: 'Chat', cell: (r) => r.chat_used },
  { header: 'Outcome', cell: (r) => r.state },
  { header: 'End reason', cell: (r) => r.end_reason },
  { header: 'Reason', cell: (r) => r.reason },
];

export const AUDIT_COLUMNS: Column<AuditRow>[] = [
  { header: 'ID', cell: (r) => r.id },
  { header: 'Time', cell: (r) => r.occurred_at },
  { header: 'Category', cell: (r) => r.category },
  { header: 'Activity', cell: (r) => r.activity },
  { header: 'Actor ID', cell: (r) => r.actor_id },
  { header: 'Actor kind', cell: (r) => r.actor_kind },
  { header: 'Target ID', cell: (r) => r.target_id },
  { header: 'Result', cell: (r) => r.result },
  { header: 'Details', cell: (r) => r.details },
];

/** The query parameters each export takes: the fields of its GraphQL filter. */
const PARAMETERS: Record<ExportName, readonly string[]> = {
  [ExportName.REMOTE_HELP_SESSIONS]: ['from', 'to', 'providerId', 'recipientId', 'deviceId', 'sessionType'],
  [ExportName.AUDIT_EVENTS]: ['from', 'to', 'category'],
};

/** The SQL of an export, checked, for the caller's tenant. */
export interface ExportQuery {
  sql: string;
  params: unknown[];
}

/**
 * The CSV exports: the same rows, filters and order as `remoteHelpSessions` / `auditEvents`
 * (the same SQL), as RFC 4180 CSV (csv-stringify; CRLF line ends, a header row, UTF-8), streamed
 * from a cursor with backpressure so that memory stays flat whatever the size.
 */
@Injectable()
export class CsvExportService {
  constructor(private readonly store: CsvExportStore) {}

  /** The query of an export for these query parameters (BAD_USER_INPUT for an unknown or malformed one). */
  filterOf(name: ExportName, caller: Caller, params: Record<string, unknown>): ExportQuery {
    const allowed = PARAMETERS[name];
    const text: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) {
      if (!allowed.includes(k)) throw badInput(`unknown parameter ${k}: ${EXPORT_FILES[name]} takes ${allowed.join(', ')}`);
      if (typeof v !== 'string') throw badInput(`${k} must be given once`);
      text[k] = v;
    }
    const from = timeOf('from', text.from);
    const to = timeOf('to', text.to);
    const tenantId = tenantOf(caller);
    if (name === ExportName.AUDIT_EVENTS) return auditQuery(tenantId, { from, to, category: text.category });
    if (text.sessionType !== undefined && !Object.values(SessionMode).includes(text.sessionType as SessionMode)) {
      throw badInput(`sessionType must be one of ${Object.values(SessionMode).join(', ')}`);
    }
    const q = sessionQuery(tenantId, { from, to, providerId: text.providerId, recipientId: text.recipientId, deviceId: text.deviceId, sessionType: text.sessionType as SessionMode | undefined });
    const where = sessionWhere(q);
    return { sql: sessionRecordsSql(where.sql), params: where.params };
  }

  async write(name: ExportName, q: ExportQuery, res: Response): Promise<void> {
    const columns = (name === ExportName.REMOTE_HELP_SESSIONS ? SESSION_COLUMNS : AUDIT_COLUMNS) as Column<unknown>[];
    const rows = await this.store.stream<unknown>(q.sql, q.params);
    try {
      res.status(200);
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="${EXPORT_FILES[name].replace('.csv', '')}-${new Date().toISOString().slice(0, 10)}.csv"`);
      res.setHeader('cache-control', 'no-store');
      await pipeline(
        Readable.from(rows.rows),
        new Transform({
          objectMode: true,
          transform: (row, _enc, done) =>
            done(
              null,
              columns.map((c) => csvCell(c.cell(row))),
            ),
        }),
        stringify({ header: true, columns: columns.map((c) => c.header), record_delimiter: 'windows' }),
        res,
      );
    } finally {
      rows.close();
    }
  }
}

function timeOf(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) || Number.isNaN(d.getTime())) throw badInput(`${name} must be an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z`);
  return d;
}
