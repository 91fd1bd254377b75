import type { SessionRecord } from './session-record';
import { complianceWarningOf } from './session-record';
import type { RemoteHelpSession } from './session.model';

/** The GraphQL view of a session. The security code is never read back (only its hash is stored). */
export function toModel(s: SessionRecord): RemoteHelpSession {
  return {
    id: s.id,
    state: s.state,
    mode: s.mode,
    elevated: s.elevated,
    chatEnabled: s.chatEnabled,
    helper: { id: s.helperId },
    sharer: s.sharerId ? { id: s.sharerId } : null,
    device: { id: s.deviceId },
    securityCode: null,
    reason: s.reason,
    complianceWarning: complianceWarningOf(s),
    pendingControlRequest: s.pendingControlRequest,
    deviceEnrolled: s.deviceEnrolled,
    requestedAt: s.requestedAt,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    endReason: s.endReason,
  };
}
