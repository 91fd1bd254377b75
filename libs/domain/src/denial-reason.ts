/** Why a Remote Help session may not happen (values match the public GraphQL enum, in its order). */
export enum DenialReason {
  REMOTE_HELP_DISABLED = 'REMOTE_HELP_DISABLED',
  HELPER_NOT_LICENSED = 'HELPER_NOT_LICENSED',
  SHARER_NOT_LICENSED = 'SHARER_NOT_LICENSED',
  LICENSE_NOT_YET_ACTIVE = 'LICENSE_NOT_YET_ACTIVE',
  CROSS_TENANT = 'CROSS_TENANT',
  UNSUPPORTED_CLOUD = 'UNSUPPORTED_CLOUD',
  UNSUPPORTED_PLATFORM = 'UNSUPPORTED_PLATFORM',
  DEVICE_NOT_ENROLLED = 'DEVICE_NOT_ENROLLED',
  DEVICE_NOT_REGISTERED = 'DEVICE_NOT_REGISTERED',
  MISSING_PERMISSION = 'MISSING_PERMISSION',
  TARGET_OUT_OF_SCOPE = 'TARGET_OUT_OF_SCOPE',
  COMPLIANCE_NOT_ACKNOWLEDGED = 'COMPLIANCE_NOT_ACKNOWLEDGED',
  UNATTENDED_REQUIRES_NO_USER = 'UNATTENDED_REQUIRES_NO_USER',
  /** The tenant requires a reason (a ticket id) and the session request gave none. */
  REASON_REQUIRED = 'REASON_REQUIRED',
}

/** Every reason, in the enum's declaration order (the order a decision lists them in). */
export const ALL_DENIAL_REASONS: readonly DenialReason[] = Object.values(DenialReason);
