import type { ApprovalGate } from './approvals';
import { approvalGates, ApprovalKind, stepApproval } from './approvals';
import type { DecisionAssignment } from './scope';
import { isMemberOfAdminGroups, coversDevice, coversUser } from './scope';
import { ALL_DENIAL_REASONS, DenialReason } from './denial-reason';
import type { CloudEnvironment, Platform } from './directory';
import { ComplianceState } from './directory';
import type { LicenseFacts } from './licenses';
import { licenseStatus } from './licenses';
import { effectivePermissions, RemoteHelpPermission } from './permissions';
import { cloudSupportsRemoteHelp, devicePlatformSupport, modeSupportedOn } from './platform-support';
import { SessionMode } from './sessions';

/** The helper's tenant and its Remote Help settings. */
export interface DecisionTenant {
  id: string;
  cloud: CloudEnvironment;
  remoteHelpEnabled: boolean;
  allowUnenrolledDevices: boolean;
  /** Session requests must give a reason (absent: not required). */
  requireReason?: boolean;
}

/** A user (helper or sharer) with all their licences and the ids of all the groups they belong to. */
export interface DecisionUser {
  id: string;
  tenantId: string;
  licenses: LicenseFacts[];
  groupIds: string[];
}

/** The device to help, with the ids of all the groups it belongs to. */
export interface DecisionDevice {
  id: string;
  tenantId: string;
  platform: Platform;
  osVersion: string;
  manufacturer: string | null;
  enrolled: boolean;
  entraRegistered: boolean;
  compliance: ComplianceState;
  primaryUserId: string | null;
  groupIds: string[];
}

export interface DecisionInput {
  now: Date;
  mode: SessionMode;
  /** The helper's tenant; null = unknown -> fail closed. */
  tenant: DecisionTenant | null;
  /** null = unknown (e.g. an id of another tenant) -> fail closed. */
  helper: DecisionUser | null;
  /** null = unknown (e.g. an id of another tenant) -> fail closed. */
  device: DecisionDevice | null;
  /** The user at the device: its primary user, or the sharer who joined (session-service passes the sharer); null for a dedicated device with no user. */
  targetUser: DecisionUser | null;
  /** All of the tenant's role assignments. */
  assignments: DecisionAssignment[];
  /** undefined: compliance is not judged (checkRemoteHelpAccess); true/false: a session request. */
  complianceAcknowledged?: boolean;
  /** undefined: the reason is not judged (checkRemoteHelpAccess); true/false: a session request with a non-blank reason or without. */
  reasonGiven?: boolean;
}

export interface Decision {
  /** True exactly when `reasons` is empty. */
  allowed: boolean;
  /** Every reason that applies, in the enum's declaration order, without duplicates. */
  reasons: DenialReason[];
  /** The helper's effective permissions over this target (device and its user), whatever the other reasons. */
  grantedPermissions: RemoteHelpPermission[];
  /**
   * The permissions this mode needs that only gated assignments grant over this target (see
   * `approvalNeed`), in the enum's order: the session may start only after approval. Empty when
   * none is gated, and when the mode's permissions are not all granted (then no approval helps).
   * Computed whatever the other reasons, like `grantedPermissions`.
   */
  approvalRequiredFor: RemoteHelpPermission[];
  /**
   * Every granted permission over this target that needs approval, with its approvers
   * (`approvalGates`): the approvers of this mode, and what a later step (an upgrade to full
   * control, elevation) needs, are read from them with `stepApproval`.
   */
  approvalGates: ApprovalGate[];
}

/** The permission each mode needs, besides OFFER_REMOTE_ASSISTANCE which every mode needs. */
export const MODE_PERMISSION: Readonly<Record<SessionMode, RemoteHelpPermission>> = {
  [SessionMode.VIEW_ONLY]: RemoteHelpPermission.VIEW_SCREEN,
  [SessionMode.FULL_CONTROL]: RemoteHelpPermission.TAKE_FULL_CONTROL,
  [SessionMode.UNATTENDED]: RemoteHelpPermission.UNATTENDED_CONTROL,
};

/** The permissions a session in this mode needs: the mode's own and OFFER_REMOTE_ASSISTANCE. */
export function requiredPermissions(mode: SessionMode): RemoteHelpPermission[] {
  return [MODE_PERMISSION[mode], RemoteHelpPermission.OFFER_REMOTE_ASSISTANCE];
}

/**
 * May this helper start a Remote Help session in this mode on this device (with this user at it)?
 * Returns EVERY reason that applies, in `DenialReason` order; `allowed` when there is none.
 *
 * Tenant
 * - REMOTE_HELP_DISABLED: the tenant has not enabled Remote Help. An unknown tenant (null) counts
 *   as one that has not (fail closed); its cloud and `allowUnenrolledDevices` are then unknown:
 *   no UNSUPPORTED_CLOUD, and unenrolled devices are not allowed.
 * - UNSUPPORTED_CLOUD: the tenant is on GCC High or DoD (COMMERCIAL and GCC are supported).
 *
 * Same tenant — the reference tenant is `tenant.id`, or the helper's tenant when `tenant` is null.
 * - CROSS_TENANT when the helper, the device or the target user belongs to another tenant, and
 *   also when the helper or the device is unknown (null: an id the helper's tenant does not know
 *   behaves like one of another tenant), or when the device has a primary user and `targetUser`
 *   is null (a user at the device that the tenant does not know).
 *
 * Licences (see `licenseStatus`: REMOTE_HELP_ADDON or INTUNE_SUITE, active when
 * activeFrom <= now < expiresAt; an expired licence counts as none)
 * - helper: HELPER_NOT_LICENSED when it has none (or is unknown); LICENSE_NOT_YET_ACTIVE when none
 *   is active but one will become active later (purchases take 30 min to 8 h).
 * - the user at the device: SHARER_NOT_LICENSED / LICENSE_NOT_YET_ACTIVE likewise; an unknown
 *   user at the device (primary user set, `targetUser` null) is SHARER_NOT_LICENSED. No user at
 *   the device (no primary user and no `targetUser`: a dedicated device) needs no sharer licence.
 *
 * Device (only when the device is known)
 * - UNSUPPORTED_PLATFORM when `devicePlatformSupport` refuses the device (the cloud part of
 *   `platformSupport` is UNSUPPORTED_CLOUD's business), or the mode is UNATTENDED on anything but
 *   an Android dedicated device.
 * - DEVICE_NOT_ENROLLED: an unenrolled device while the tenant does not allow unenrolled devices.
 * - DEVICE_NOT_REGISTERED: an enrolled device that is not Entra registered (an unenrolled device,
 *   when allowed, needs no registration).
 * - COMPLIANCE_NOT_ACKNOWLEDGED: only when `complianceAcknowledged === false` and the device is
 *   NONCOMPLIANT (undefined: not judged; UNKNOWN compliance never triggers it).
 * - UNATTENDED_REQUIRES_NO_USER: mode UNATTENDED and the device has a primary user or a
 *   `targetUser` is given.
 *
 * Request
 * - REASON_REQUIRED: only when `reasonGiven === false` and the tenant requires a reason
 *   (undefined: not judged).
 *
 * Permissions and scope
 * - The helper's assignments are those with an admin group among `helper.groupIds`.
 * - One of them covers the target when it covers the device (`coversDevice`: a scope group of
 *   the device, or `scopeAllDevices` for an ENROLLED device of the tenant) AND, when there is a
 *   user at the device, that user (`coversUser`: `scopeAllUsers` or a scope group, a user of the
 *   tenant). Nothing of another tenant, and no unknown device or user, is ever covered.
 * - `grantedPermissions` = effectivePermissions(union of the covering assignments' permissions),
 *   even when denied for other reasons. Permissions of an assignment that does not cover the
 *   target never count over it.
 * - The mode needs `MODE_PERMISSION[mode]` and OFFER_REMOTE_ASSISTANCE (implications apply:
 *   UNATTENDED_CONTROL gives VIEW_SCREEN etc.). When they are not all in `grantedPermissions`:
 *   TARGET_OUT_OF_SCOPE if the helper's assignments taken together regardless of scope would
 *   grant them all (the permission exists, but not over this target), else MISSING_PERMISSION.
 * - In addition TARGET_OUT_OF_SCOPE whenever the helper holds at least one assignment and none
 *   covers the target (so a helper whose roles lack the permission AND do not reach the target
 *   gets both MISSING_PERMISSION and TARGET_OUT_OF_SCOPE).
 *
 * Approval (not a denial reason): `approvalRequiredFor` lists the permissions of the mode (every
 * one it implies, see `stepPermissions`) that the covering assignments grant only with approval.
 */
export function decideRemoteHelpAccess(input: DecisionInput): Decision {
  const { now, mode, tenant, helper, device, targetUser, assignments } = input;
  const reasons = new Set<DenialReason>();

  // Tenant settings and cloud.
  if (!tenant || !tenant.remoteHelpEnabled) reasons.add(DenialReason.REMOTE_HELP_DISABLED);
  if (tenant && !cloudSupportsRemoteHelp(tenant.cloud)) reasons.add(DenialReason.UNSUPPORTED_CLOUD);

  // Same tenant.
  const tenantId = tenant?.id ?? helper?.tenantId ?? null;
  const hasUserAtDevice = targetUser !== null || (device !== null && device.primaryUserId !== null);
  if (!helper || !device || helper.tenantId !== tenantId || device.tenantId !== tenantId || (targetUser !== null && targetUser.tenantId !== tenantId) || (hasUserAtDevice && targetUser === null)) {
    reasons.add(DenialReason.CROSS_TENANT);
  }

  // Licences.
  const helperLicenses = helper ? licenseStatus(helper.licenses, now) : 'NONE';
  if (helperLicenses === 'NONE') reasons.add(DenialReason.HELPER_NOT_LICENSED);
  if (helperLicenses === 'NOT_YET_ACTIVE') reasons.add(DenialReason.LICENSE_NOT_YET_ACTIVE);
  if (hasUserAtDevice) {
    const sharerLicenses = targetUser ? licenseStatus(targetUser.licenses, now) : 'NONE';
    if (sharerLicenses === 'NONE') reasons.add(DenialReason.SHARER_NOT_LICENSED);
    if (sharerLicenses === 'NOT_YET_ACTIVE') reasons.add(DenialReason.LICENSE_NOT_YET_ACTIVE);
  }

  // The device.
  if (device) {
    if (!devicePlatformSupport(device).supported || !modeSupportedOn(device.platform, mode)) {
      reasons.add(DenialReason.UNSUPPORTED_PLATFORM);
    }
    if (!device.enrolled && !tenant?.allowUnenrolledDevices) reasons.add(DenialReason.DEVICE_NOT_ENROLLED);
    if (device.enrolled && !device.entraRegistered) reasons.add(DenialReason.DEVICE_NOT_REGISTERED);
    if (input.complianceAcknowledged === false && device.compliance === ComplianceState.NONCOMPLIANT) {
      reasons.add(DenialReason.COMPLIANCE_NOT_ACKNOWLEDGED);
    }
  }
  if (mode === SessionMode.UNATTENDED && hasUserAtDevice) reasons.add(DenialReason.UNATTENDED_REQUIRES_NO_USER);
  if (input.reasonGiven === false && tenant?.requireReason === true) reasons.add(DenialReason.REASON_REQUIRED);

  // Permissions over this target.
  const held = helper ? assignments.filter((a) => isMemberOfAdminGroups(helper.groupIds, a)) : [];
  const covering = device && tenantId !== null ? held.filter((a) => coversDevice(a, device, tenantId) && (!hasUserAtDevice || (targetUser !== null && coversUser(a, targetUser, tenantId)))) : [];
  const grantedPermissions = effectivePermissions(covering.flatMap((a) => a.permissions));
  const needed = requiredPermissions(mode);
  if (!needed.every((p) => grantedPermissions.includes(p))) {
    const anywhere = effectivePermissions(held.flatMap((a) => a.permissions));
    reasons.add(needed.every((p) => anywhere.includes(p)) ? DenialReason.TARGET_OUT_OF_SCOPE : DenialReason.MISSING_PERMISSION);
  }
  if (held.length > 0 && covering.length === 0) reasons.add(DenialReason.TARGET_OUT_OF_SCOPE);

  const gates = approvalGates(covering.map((a) => ({ id: a.id, permissions: a.permissions, approvalRequiredFor: a.approvalRequiredFor ?? [], approverGroupIds: a.approverGroupIds ?? [] })));
  const approvalRequiredFor = needed.every((p) => grantedPermissions.includes(p)) ? stepApproval(gates, { kind: ApprovalKind.SESSION_START, mode }).permissions : [];

  const ordered = ALL_DENIAL_REASONS.filter((r) => reasons.has(r));
  return { allowed: ordered.length === 0, reasons: ordered, grantedPermissions, approvalRequiredFor, approvalGates: gates };
}
