import { isUuid } from '@remote-help/domain';
import { AUDIT_EVENT_TYPE, type AuditRecordInput } from './contracts/audit-events';
import { buildEvent, type EventOf } from './contracts/event-catalogue';

/**
 * A target's id as the audit log keeps it: a UUID in lower case, the form every id of this system
 * is stored and returned in, whatever case the caller typed it in (so one target has one id in
 * the log); anything else as given.
 */
export function auditTargetId(id: string | null): string | null {
  return isUuid(id) ? id.toLowerCase() : id;
}

/**
 * An audit event for the audit topic (`TOPICS.audit`), written through the outbox like any other.
 * Without `actorKind`, the audit contract gives `user` when there is an actor, else `system`.
 */
export function auditEvent(o: { source: string; tenantId: string; time?: Date } & AuditRecordInput): EventOf<typeof AUDIT_EVENT_TYPE> {
  const { source, tenantId, time, ...given } = o;
  const record = { ...given, targetId: auditTargetId(given.targetId) };
  return buildEvent(AUDIT_EVENT_TYPE, {
    source,
    tenantId,
    subject: record.targetId ?? tenantId,
    data: record,
    time,
  });
}
