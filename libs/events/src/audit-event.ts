import { isUuid } from '@remote-help/domain';
import { createEvent, EventEnvelope } from './event-envelope';

/** One line of the audit log: who did what to which target, and whether it worked. */
export interface AuditRecord {
  actorId: string | null;
  actorKind?: 'user' | 'device' | 'service' | 'system';
  category: string;
  activity: string;
  targetId: string | null;
  result: 'Success' | 'Failure';
  details?: string;
}

export const AUDIT_EVENT_TYPE = 'audit.recorded';

/**
 * A target's id as the audit log keeps it: a UUID in lower case, the form every id of this system
 * is stored and returned in, whatever case the caller typed it in (so one target has one id in
 * the log); anything else as given.
 */
export function auditTargetId(id: string | null): string | null {
  return isUuid(id) ? id.toLowerCase() : id;
}

/** An audit event for the audit topic (`TOPICS.audit`), written through the outbox like any other. */
export function auditEvent(o: { source: string; tenantId: string; time?: Date } & AuditRecord): EventEnvelope<AuditRecord> {
  const { source, tenantId, time, ...given } = o;
  const record = { ...given, targetId: auditTargetId(given.targetId) };
  return createEvent({ type: AUDIT_EVENT_TYPE, source, tenantId, subject: record.targetId ?? tenantId, data: { actorKind: record.actorId ? 'user' : 'system', ...record }, time });
}
