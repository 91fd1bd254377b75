import type { SessionMode } from '@remote-help/domain';
import { badInput } from '@remote-help/service-kit';
import { idArg } from '../common/ids';
import type { CursorPosition } from '../common/page';

/** A validated `remoteHelpSessions` filter, confined to the caller's tenant. */
export interface SessionQuery {
  tenantId: string;
  from: Date | null;
  to: Date | null;
  providerId: string | null;
  recipientId: string | null;
  deviceId: string | null;
  sessionType: SessionMode | null;
}

export function sessionQuery(
  tenantId: string,
  filter: { from?: Date | null; to?: Date | null; providerId?: string | null; recipientId?: string | null; deviceId?: string | null; sessionType?: SessionMode | null } | null | undefined,
): SessionQuery {
  const f = filter ?? {};
  const from = f.from ?? null;
  const to = f.to ?? null;
  if (from && to && from.getTime() > to.getTime()) throw badInput('filter.from must not be after filter.to');
  return {
    tenantId,
    from,
    to,
    providerId: idArg('filter.providerId', f.providerId),
    recipientId: idArg('filter.recipientId', f.recipientId),
    deviceId: idArg('filter.deviceId', f.deviceId),
    sessionType: f.sessionType ?? null,
  };
}

/** Whether the filter names a helper, sharer or device (then counts come from that index, not from the daily totals). */
export function filtersById(q: SessionQuery): boolean {
  return !!(q.providerId || q.recipientId || q.deviceId);
}

/**
 * The WHERE clause over `session_records s` for a filter and, when paging on, the position after
 * which the page starts (newest first: rows strictly before (requestedAt, sessionId)).
 * Every condition is a parameter; the tenant comes first, as in every index.
 */
export function sessionWhere(q: SessionQuery, after: CursorPosition | null = null): { sql: string; params: unknown[] } {
  const params: unknown[] = [q.tenantId];
  const conditions = ['s.tenant_id = $1'];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(params.length));
  };
  if (q.providerId) add((n) => `s.helper_id = $${n}`, q.providerId);
  if (q.recipientId) add((n) => `s.sharer_id = $${n}`, q.recipientId);
  if (q.deviceId) add((n) => `s.device_id = $${n}`, q.deviceId);
  if (q.sessionType) add((n) => `s.session_type = $${n}`, q.sessionType);
  if (q.from) add((n) => `s.requested_at >= $${n}`, q.from);
  if (q.to) add((n) => `s.requested_at < $${n}`, q.to);
  if (after) {
    params.push(after.at, after.id);
    conditions.push(`(s.requested_at, s.session_id) < ($${params.length - 1}, $${params.length})`);
  }
  return { sql: conditions.join(' AND '), params };
}
