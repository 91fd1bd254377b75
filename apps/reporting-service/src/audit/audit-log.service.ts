import { isUuid } from '@remote-help/domain';
import { Injectable } from '@nestjs/common';
import { badInput } from '@remote-help/service-kit';
import { DataSource } from 'typeorm';
import { cutPage, type CursorPosition, decodeCursor, encodeCursor, pageSize } from '../common/page';
import type { AuditEvent, AuditEventConnection } from './audit-event.model';

export interface Row {
  id: string;
  occurred_at: Date;
  category: string;
  activity: string;
  actor_id: string | null;
  actor_kind: string;
  target_id: string | null;
  result: string;
  details: string | null;
}

/** The tenant's audit log, newest first, keyset-paged; optionally in [from, to) and of one category. */
@Injectable()
export class AuditLogService {
  constructor(private readonly dataSource: DataSource) {}

  async page(tenantId: string, args: { from?: Date | null; to?: Date | null; category?: string | null; first?: number | null; after?: string | null }): Promise<AuditEventConnection> {
    const size = pageSize(args.first);
    const after = decodeCursor('audit', args.after);
    const q = auditQuery(tenantId, args, after);
    const rows: Row[] = await this.dataSource.query(`${q.sql} LIMIT ${size + 1}`, q.params);
    const { items, pageInfo } = cutPage(rows.map(toAuditEvent), size, (e) => encodeCursor('audit', e.occurredAt, e.id));
    return { edges: items, pageInfo };
  }
}

export interface AuditFilter {
  from?: Date | null;
  to?: Date | null;
  category?: string | null;
}

/**
 * The audit events of the tenant matching the filter (checked: BAD_USER_INPUT), after the cursor
 * position when given, newest first: what a page and the CSV export read.
 */
export function auditQuery(tenantId: string, f: AuditFilter, after: CursorPosition | null = null): { sql: string; params: unknown[] } {
  if (f.from && f.to && f.from.getTime() > f.to.getTime()) throw badInput('from must not be after to');
  if (f.category !== null && f.category !== undefined && (f.category.length === 0 || f.category.length > 200)) {
    throw badInput('category must be 1 to 200 characters');
  }
  const params: unknown[] = [tenantId];
  const conditions = ['tenant_id = $1'];
  const add = (sql: (n: number) => string, v: unknown) => (params.push(v), conditions.push(sql(params.length)));
  if (f.category) add((n) => `category = $${n}`, f.category);
  if (f.from) add((n) => `occurred_at >= $${n}`, f.from);
  if (f.to) add((n) => `occurred_at < $${n}`, f.to);
  if (after) {
    params.push(after.at, after.id);
    conditions.push(`(occurred_at, id) < ($${params.length - 1}, $${params.length})`);
  }
  return {
    sql: `SELECT id, occurred_at, category, activity, actor_id, actor_kind, target_id, result, details FROM audit_events
       WHERE ${conditions.join(' AND ')} ORDER BY occurred_at DESC, id DESC`,
    params,
  };
}

export function toAuditEvent(r: Row): AuditEvent {
  return {
    id: r.id,
    occurredAt: r.occurred_at,
    category: r.category,
    activity: r.activity,
    actor: r.actor_kind === 'user' && isUuid(r.actor_id) ? { id: r.actor_id } : null,
    actorId: r.actor_id,
    actorKind: r.actor_kind,
    targetId: r.target_id,
    result: r.result,
    details: r.details,
  };
}
