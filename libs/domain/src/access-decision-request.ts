import type { SessionMode } from './sessions';

/**
 * What a service asks rbac-service's `POST /internal/access-decisions` (session-service before
 * every session action): the same decision as `checkRemoteHelpAccess`, over the same data.
 */
export interface AccessDecisionRequest {
  tenantId: string;
  helperId: string;
  deviceId: string;
  mode: SessionMode;
  /** The user at the device: the sharer who joined (default on rbac's side: the device's primary user). */
  targetUserId?: string | null;
  /** undefined: compliance not judged; true/false: a session request. */
  complianceAcknowledged?: boolean;
  /** undefined: the reason is not judged; true/false: a session request with a non-blank reason or without. */
  reasonGiven?: boolean;
}
