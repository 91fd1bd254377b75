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

export interface SessionFacts {
  sessionId: string;
  tenantId: string;
  helperId: string;
  /** null for unattended sessions on dedicated devices (no user), and before the sharer joins */
  sharerId: string | null;
  deviceId: string;
  /** the device's platform at request time */
  platform: string;
  deviceEnrolled: boolean;
  /** the session type as requested: VIEW_ONLY, FULL_CONTROL or UNATTENDED */
  requestedMode: 'VIEW_ONLY' | 'FULL_CONTROL' | 'UNATTENDED';
  /** the control mode now */
  mode: 'VIEW_ONLY' | 'FULL_CONTROL' | 'UNATTENDED';
  state: 'WAITING_FOR_SHARER' | 'PENDING_CONSENT' | 'ACTIVE' | 'DECLINED' | 'EXPIRED' | 'ENDED';
  elevated: boolean;
  chatEnabled: boolean;
  chatUsed: boolean;
  reason: string | null;
  requestedAt: string;
  startedAt: string | null;
  endedAt: string | null;
  endReason: 'HELPER_ENDED' | 'SHARER_ENDED' | 'DISCONNECTED' | 'EXPIRED' | 'ADMIN_ENDED' | null;
  /** who caused this transition (user id), null for timers */
  actorId: string | null;
  version: number;
  /**
   * The audit log line of this transition, carried by its lifecycle event rather than by an
   * audit event of its own on `TOPICS.audit` (one event per transition, not two). The audit log
   * keeps it as it keeps an audit event: under this event's id and time and source, with
   * `actorId` as the actor, the session as the target and the result `Success`. Absent from
   * events written before it existed, whose audit events went on the audit topic.
   */
  audit?: SessionTransitionAudit;
}

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

/** The audit part of a lifecycle event (see `SessionFacts.audit`). */
export interface SessionTransitionAudit {
  category: string;
  activity: string;
  actorKind: 'user' | 'device' | 'service' | 'system';
  /** short, text-free details of the session (never chat text) */
  details: string;
}
