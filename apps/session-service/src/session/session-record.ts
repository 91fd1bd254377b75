import type { EndReason, Platform, SessionState } from '@remote-help/domain';
import { ComplianceState, SessionMode } from '@remote-help/domain';
import type { SessionFacts } from '@remote-help/events';
import type { SessionSnapshot } from './session-state-machine';
import { Actor } from './session-state-machine';

/** A session as read from its row (the columns of SessionEntity, as `SELECT *` returns them). */
export interface SessionRecord {
  id: string;
  tenantId: string;
  helperId: string;
  sharerId: string | null;
  deviceId: string;
  mode: SessionMode;
  requestedMode: SessionMode;
  state: SessionState;
  elevated: boolean;
  chatEnabled: boolean;
  chatUsed: boolean;
  reason: string | null;
  platform: Platform;
  deviceEnrolled: boolean;
  deviceCompliance: ComplianceState;
  pendingControlRequest: SessionMode | null;
  codeExpiresAt: Date | null;
  dueAt: Date | null;
  helperSeenAt: Date | null;
  sharerSeenAt: Date | null;
  requestedAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  endReason: EndReason | null;
  version: number;
}

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));

/** A `sessions` row (snake_case, as node-postgres returns it) as a record. */
export function fromRow(r: Record<string, unknown>): SessionRecord {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    helperId: r.helper_id as string,
    sharerId: (r.sharer_id as string | null) ?? null,
    deviceId: r.device_id as string,
    mode: r.mode as SessionMode,
    requestedMode: r.requested_mode as SessionMode,
    state: r.state as SessionState,
    elevated: r.elevated as boolean,
    chatEnabled: r.chat_enabled as boolean,
    chatUsed: r.chat_used as boolean,
    reason: (r.reason as string | null) ?? null,
    platform: r.platform as Platform,
    deviceEnrolled: r.device_enrolled as boolean,
    deviceCompliance: r.device_compliance as ComplianceState,
    pendingControlRequest: (r.pending_control_request as SessionMode | null) ?? null,
    codeExpiresAt: date(r.code_expires_at),
    dueAt: date(r.due_at),
    helperSeenAt: date(r.helper_seen_at),
    sharerSeenAt: date(r.sharer_seen_at),
    requestedAt: date(r.requested_at)!,
    startedAt: date(r.started_at),
    endedAt: date(r.ended_at),
    endReason: (r.end_reason as EndReason | null) ?? null,
    version: Number(r.version),
  };
}

export const isUnattended = (s: Pick<SessionRecord, 'requestedMode'>) => s.requestedMode === SessionMode.UNATTENDED;

export function snapshotOf(s: SessionRecord): SessionSnapshot {
  return {
    state: s.state,
    mode: s.mode,
    unattended: isUnattended(s),
    platform: s.platform,
    pendingControlRequest: s.pendingControlRequest,
    elevated: s.elevated,
    chatEnabled: s.chatEnabled,
    chatUsed: s.chatUsed,
  };
}

/** Who a caller is relative to this session. */
export type CallerLike = { kind: 'user'; tenantId: string; userId: string } | { kind: 'device'; tenantId: string; deviceId: string } | { kind: 'service'; tenantId?: string };

const same = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

/**
 * The caller's side in this session: the helper, the sharer (who joined), the device of an
 * unattended session (with its device token), or a stranger. A session of another tenant has
 * only strangers.
 */
export function actorOf(caller: CallerLike, s: SessionRecord): Actor {
  if (!same(caller.tenantId, s.tenantId)) return Actor.STRANGER;
  if (caller.kind === 'user') {
    if (same(caller.userId, s.helperId)) return Actor.HELPER;
    if (same(caller.userId, s.sharerId)) return Actor.SHARER;
  }
  if (caller.kind === 'device' && isUnattended(s) && same(caller.deviceId, s.deviceId)) return Actor.DEVICE;
  return Actor.STRANGER;
}

export function isPartyCaller(caller: CallerLike, s: SessionRecord): boolean {
  const a = actorOf(caller, s);
  return a === Actor.HELPER || a === Actor.SHARER || a === Actor.DEVICE;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The whole session after a transition, as the lifecycle events carry it. */
export function factsOf(s: SessionRecord, actorId: string | null): SessionFacts {
  return {
    sessionId: s.id,
    tenantId: s.tenantId,
    helperId: s.helperId,
    sharerId: s.sharerId,
    deviceId: s.deviceId,
    platform: s.platform,
    deviceEnrolled: s.deviceEnrolled,
    requestedMode: s.requestedMode,
    mode: s.mode,
    state: s.state,
    elevated: s.elevated,
    chatEnabled: s.chatEnabled,
    chatUsed: s.chatUsed,
    reason: s.reason,
    requestedAt: s.requestedAt.toISOString(),
    startedAt: iso(s.startedAt),
    endedAt: iso(s.endedAt),
    endReason: s.endReason,
    actorId,
    version: s.version,
  };
}

export function complianceWarningOf(s: Pick<SessionRecord, 'deviceId' | 'deviceCompliance'>) {
  return s.deviceCompliance === ComplianceState.NONCOMPLIANT ? { deviceId: s.deviceId, compliance: s.deviceCompliance, message: NONCOMPLIANT_MESSAGE } : null;
}

export const NONCOMPLIANT_MESSAGE = 'This device is not compliant with its assigned policies. Go on only if you must, and only after telling the user.';

export const UNENROLLED_WARNING = 'This device is not enrolled in device management (the tenant allows Remote Help on unenrolled devices): its identity and state cannot be verified, and the session reports are limited.';
