import { AuditActorKind, EndReason, Platform, SessionMode, SessionState } from '@remote-help/domain';
import { z } from 'zod';
import { domainEnum, id, snapshotVersion, text, time } from './schema-fields';

/**
 * Session lifecycle events of session-service on `TOPICS.session`, one per transition, in order
 * per session (subject = session id). Every event carries the whole session as it is after the
 * transition (`SessionFacts`), so a consumer never needs an earlier one to make sense of a later
 * one; `version` grows by one per transition and lets consumers ignore a replayed older event.
 * Chat text is never in an event: only the fact that chat was used (`session.chat-used`, once).
 */
export const SESSION_EVENTS = {
  requested: 'session.requested',
  joined: 'session.joined',
  started: 'session.started',
  declined: 'session.declined',
  /** the helper asked to go from view-only to full control; the sharer is asked for a second consent */
  controlRequested: 'session.control-requested',
  /** the sharer refused the second consent; the session stays view-only */
  controlRequestDeclined: 'session.control-request-declined',
  controlChanged: 'session.control-changed',
  elevated: 'session.elevated',
  chatUsed: 'session.chat-used',
  ended: 'session.ended',
  expired: 'session.expired',
} as const;

export type SessionEventType = (typeof SESSION_EVENTS)[keyof typeof SESSION_EVENTS];

/**
 * The audit log line of a transition, carried by its lifecycle event rather than by an audit
 * event of its own on `TOPICS.audit` (one event per transition, not two). The audit log keeps it
 * as it keeps an audit event: under the lifecycle event's id and time and source, with
 * `SessionFacts.actorId` as the actor, the session as the target and the result `Success`.
 */
const SessionTransitionAuditSchema = z.object({
  category: text(),
  activity: text(),
  actorKind: domainEnum(AuditActorKind),
  /** short, text-free details of the session (never chat text) */
  details: z.string().nullish(),
});

/** The audit part of a lifecycle event (see `SessionFacts.audit`). */
export type SessionTransitionAudit = z.output<typeof SessionTransitionAuditSchema>;

/** The whole session as it is after a transition: the `data` of every lifecycle event. */
export const SessionFactsSchema = z
  .object({
    sessionId: id(),
    tenantId: id(),
    helperId: id(),
    /** null for unattended sessions on dedicated devices (no user), and before the sharer joins */
    sharerId: id().nullable(),
    deviceId: id(),
    /** the device's platform at request time */
    platform: domainEnum(Platform),
    deviceEnrolled: z.boolean(),
    /** the session type as requested: VIEW_ONLY, FULL_CONTROL or UNATTENDED */
    requestedMode: domainEnum(SessionMode),
    /** the control mode now */
    mode: domainEnum(SessionMode),
    state: domainEnum(SessionState),
    elevated: z.boolean(),
    /** absent from events written before chat could be disabled per tenant: chat was enabled then */
    chatEnabled: z.boolean().default(true),
    chatUsed: z.boolean(),
    reason: z.string().nullable(),
    requestedAt: time(),
    startedAt: time().nullable(),
    endedAt: time().nullable(),
    endReason: domainEnum(EndReason).nullable(),
    /** who caused this transition (user or device id), null for timers */
    actorId: z.string().nullable(),
    version: snapshotVersion(),
    /**
     * The audit log line of this transition (SessionTransitionAudit). Absent from events written
     * before it existed, whose audit events went on the audit topic.
     */
    audit: SessionTransitionAuditSchema.nullish(),
  })
  .refine((f) => f.state !== SessionState.ACTIVE || f.startedAt !== null, { message: 'an ACTIVE session must have startedAt', path: ['startedAt'] });

export type SessionFacts = z.output<typeof SessionFactsSchema>;

/**
 * `SessionTransitionAudit.details` of a session (its state after the transition): short and
 * text-free (never chat text). session-service writes it (and its SQL form), the benchmark's
 * producer too.
 */
export function sessionAuditDetails(s: Pick<SessionFacts, 'state' | 'mode' | 'deviceId' | 'sharerId' | 'endReason' | 'elevated'>): string {
  const parts = [`state=${s.state}`, `mode=${s.mode}`, `device=${s.deviceId}`];
  if (s.sharerId) parts.push(`sharer=${s.sharerId}`);
  if (s.endReason) parts.push(`endReason=${s.endReason}`);
  if (s.elevated) parts.push('elevated');
  return parts.join(' ');
}
