import type { AuditActorKind } from '@remote-help/domain';
import { AuditResult } from '@remote-help/domain';
import type { AUDIT_EVENT_TYPE, DIRECTORY_EVENTS } from '@remote-help/events';
import { type EventOf, type SessionEventType, type SessionFacts } from '@remote-help/events';

/**
 * What reporting-service keeps of the events it consumes, taken from events already parsed by
 * their contracts (libs/events' event catalogue, in EventPipeline: an event that does not parse
 * went to the dead-letter topic and never gets here). Nothing is checked again here: these only
 * turn the events' data into rows (times as Dates, texts cut to what a row keeps).
 */

/**
 * A well-formed event that this service cannot apply (a session id of another tenant): refused
 * with the reason and set aside in `rejected_events` (retrying would never help).
 */
export class RejectedEventError extends Error {
  override readonly name = 'RejectedEventError';
}

/** Longest texts kept; longer ones are cut (a record is worth more than a complete reason). */
export const MAX_REASON = 2000;
export const MAX_DETAILS = 8000;
const MAX_SHORT = 500;

const cut = (v: string | null | undefined, max: number): string | null => (v === null || v === undefined ? null : v.slice(0, max));
const date = (v: string | null): Date | null => (v === null ? null : new Date(v));

/** A session as one lifecycle event tells it (SessionFacts), its times as Dates. */
export interface SessionFactsData extends Omit<SessionFacts, 'requestedAt' | 'startedAt' | 'endedAt' | 'actorId' | 'audit'> {
  requestedAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
}

export type SessionEvent = EventOf<SessionEventType>;

export function sessionFactsOf(event: SessionEvent): SessionFactsData {
  const { requestedAt, startedAt, endedAt, actorId: _actor, audit: _audit, reason, ...rest } = event.data;
  return { ...rest, reason: cut(reason, MAX_REASON), requestedAt: new Date(requestedAt), startedAt: date(startedAt), endedAt: date(endedAt) };
}

/** One line of the audit log. */
export interface AuditData {
  id: string;
  tenantId: string;
  occurredAt: Date;
  source: string;
  actorId: string | null;
  actorKind: `${AuditActorKind}`;
  category: string;
  activity: string;
  targetId: string | null;
  result: `${AuditResult}`;
  details: string | null;
}

/** What an audit line takes from its event's envelope: the event's id, tenant, time and source. */
function auditEnvelope(event: SessionEvent | EventOf<typeof AUDIT_EVENT_TYPE>): Pick<AuditData, 'id' | 'tenantId' | 'occurredAt' | 'source'> {
  return { id: event.id.toLowerCase(), tenantId: event.tenantId.toLowerCase(), occurredAt: new Date(event.time), source: event.source.slice(0, 100) };
}

export function auditRecordOf(event: EventOf<typeof AUDIT_EVENT_TYPE>): AuditData {
  const d = event.data;
  const actorId = cut(d.actorId, MAX_SHORT);
  return {
    ...auditEnvelope(event),
    actorId,
    actorKind: d.actorKind,
    category: d.category.slice(0, 200),
    activity: d.activity.slice(0, MAX_SHORT),
    targetId: cut(d.targetId, MAX_SHORT),
    result: d.result,
    details: cut(d.details, MAX_DETAILS),
  };
}

/**
 * The audit log line a lifecycle event carries (SessionFacts.audit), as an audit event would
 * give it: under the lifecycle event's id, time and source, with the data's `actorId` as the
 * actor, the session as the target and the result Success. null when the event carries none
 * (events written before the line travelled with them: their audit events are on the audit topic).
 */
export function transitionAuditOf(event: SessionEvent): AuditData | null {
  const { audit, actorId, sessionId } = event.data;
  if (!audit) return null;
  return {
    ...auditEnvelope(event),
    actorId: cut(actorId, MAX_SHORT),
    actorKind: audit.actorKind,
    category: audit.category.slice(0, 200),
    activity: audit.activity.slice(0, MAX_SHORT),
    targetId: sessionId,
    result: AuditResult.SUCCESS,
    details: cut(audit.details, MAX_DETAILS),
  };
}

/** What reporting keeps of a user (UserSnapshot of user.upserted / license.assigned): a name to show. */
export interface UserNameData {
  id: string;
  tenantId: string;
  userPrincipalName: string;
  displayName: string;
  version: number;
}

export function userNameOf(event: EventOf<typeof DIRECTORY_EVENTS.userUpserted | typeof DIRECTORY_EVENTS.licenseAssigned>): UserNameData {
  const { id, tenantId, userPrincipalName, displayName, version } = event.data;
  return { id, tenantId, userPrincipalName: userPrincipalName.slice(0, MAX_SHORT), displayName: displayName.slice(0, MAX_SHORT), version };
}
