import type { CloudEnvironment, ComplianceState, DecisionAssignment, DecisionInput, LicenseFacts, LicenseKind, Platform, RemoteHelpPermission, SessionMode } from '@remote-help/domain';

/**
 * The facts of one access decision as the local copy holds them (rows of the one query that
 * AccessDataService.decisionFacts runs), and their translation into the pure decision function's
 * input. Pure: no database here.
 */

export interface LicenseRow {
  kind: string;
  activeFrom: string;
  expiresAt: string | null;
}

export interface TenantRow {
  id: string;
  display_name: string | null;
  cloud: string;
  remote_help_enabled: boolean;
  allow_unenrolled_devices: boolean;
  chat_disabled: boolean;
  /** Absent from rows cached before the column existed: false. */
  require_reason?: boolean;
  settings_version: number;
}

export interface UserRow {
  id: string;
  tenant_id: string;
  user_principal_name: string;
  display_name: string;
  licenses: LicenseRow[];
  group_ids: string[];
}

export interface DeviceRow {
  id: string;
  tenant_id: string;
  display_name: string;
  platform: string;
  os_version: string;
  manufacturer: string | null;
  enrolled: boolean;
  entra_registered: boolean;
  compliance: string;
  primary_user_id: string | null;
  version: number;
  group_ids: string[];
}

export interface AssignmentRow {
  id: string;
  permissions: string[];
  admin_group_ids: string[];
  scope_group_ids: string[];
  scope_all_users: boolean;
  scope_all_devices: boolean;
  approval_required_for: string[];
  approver_group_ids: string[];
}

export interface DecisionFacts {
  tenant: TenantRow | null;
  helper: UserRow | null;
  device: DeviceRow | null;
  /** The user named by targetUserId, else the device's primary user (when the device is the tenant's). */
  targetUser: UserRow | null;
  /** The tenant's assignments whose admin groups the helper is in (the others grant the helper nothing). */
  assignments: AssignmentRow[];
}

/** The tenant of a user the local copy does not know. */
export const UNKNOWN_TENANT = 'unknown';

export function licenseFacts(rows: readonly LicenseRow[]): LicenseFacts[] {
  return rows.map((l) => ({ kind: l.kind as LicenseKind, activeFrom: new Date(l.activeFrom), expiresAt: l.expiresAt ? new Date(l.expiresAt) : null }));
}

export function decisionAssignment(a: AssignmentRow): DecisionAssignment {
  return {
    id: a.id,
    permissions: a.permissions as RemoteHelpPermission[],
    adminGroupIds: a.admin_group_ids,
    scopeGroupIds: a.scope_group_ids,
    scopeAllUsers: a.scope_all_users,
    scopeAllDevices: a.scope_all_devices,
    approvalRequiredFor: a.approval_required_for as RemoteHelpPermission[],
    approverGroupIds: a.approver_group_ids,
  };
}

function decisionUser(u: UserRow) {
  return { id: u.id, tenantId: u.tenant_id, licenses: licenseFacts(u.licenses), groupIds: u.group_ids };
}

/**
 * The decision function's input. `tenantId` is the helper's (the caller's) tenant: a device of
 * another tenant is unknown (null); a target user of another tenant is passed as such (the
 * decision says CROSS_TENANT). A primary user the copy does not know (yet) is null, which the
 * decision treats as an unknown user at the device (fails closed); a given `targetUserId` the copy
 * does not know is passed as a user of no known tenant, with no licence and no group, so that it
 * is never mistaken for "no user at the device".
 */
export function toDecisionInput(o: { tenantId: string; mode: SessionMode; now: Date; facts: DecisionFacts; targetUserId?: string | null; complianceAcknowledged?: boolean; reasonGiven?: boolean }): DecisionInput {
  const { facts, tenantId } = o;
  const t = facts.tenant && facts.tenant.id === tenantId ? facts.tenant : null;
  const device = facts.device && facts.device.tenant_id === tenantId ? facts.device : null;
  let targetUser: DecisionInput['targetUser'] = null;
  if (o.targetUserId) {
    targetUser = facts.targetUser && facts.targetUser.id === o.targetUserId ? decisionUser(facts.targetUser) : { id: o.targetUserId, tenantId: UNKNOWN_TENANT, licenses: [], groupIds: [] };
  } else if (device?.primary_user_id && facts.targetUser && facts.targetUser.id === device.primary_user_id) {
    targetUser = decisionUser(facts.targetUser);
  }
  const input: DecisionInput = {
    now: o.now,
    mode: o.mode,
    tenant: t ? { id: t.id, cloud: t.cloud as CloudEnvironment, remoteHelpEnabled: t.remote_help_enabled, allowUnenrolledDevices: t.allow_unenrolled_devices, requireReason: t.require_reason === true } : null,
    helper: facts.helper ? decisionUser(facts.helper) : null,
    device: device
      ? {
          id: device.id,
          tenantId: device.tenant_id,
          platform: device.platform as Platform,
          osVersion: device.os_version,
          manufacturer: device.manufacturer,
          enrolled: device.enrolled,
          entraRegistered: device.entra_registered,
          compliance: device.compliance as ComplianceState,
          primaryUserId: device.primary_user_id,
          groupIds: device.group_ids,
        }
      : null,
    targetUser,
    assignments: facts.helper && facts.helper.tenant_id === tenantId ? facts.assignments.map(decisionAssignment) : [],
  };
  if (o.complianceAcknowledged !== undefined) input.complianceAcknowledged = o.complianceAcknowledged;
  if (o.reasonGiven !== undefined) input.reasonGiven = o.reasonGiven;
  return input;
}

/** What the internal access-decisions endpoint tells session-service about the device. */
export function deviceFacts(d: DeviceRow) {
  return {
    id: d.id,
    tenantId: d.tenant_id,
    displayName: d.display_name,
    platform: d.platform,
    osVersion: d.os_version,
    manufacturer: d.manufacturer,
    enrolled: d.enrolled,
    entraRegistered: d.entra_registered,
    compliance: d.compliance,
    primaryUserId: d.primary_user_id,
    version: d.version,
    groupIds: d.group_ids,
  };
}

export function userFacts(u: UserRow) {
  return { id: u.id, tenantId: u.tenant_id, userPrincipalName: u.user_principal_name, displayName: u.display_name, licenses: u.licenses, groupIds: u.group_ids };
}

export function tenantFacts(t: TenantRow) {
  return {
    id: t.id,
    cloud: t.cloud,
    remoteHelpEnabled: t.remote_help_enabled,
    allowUnenrolledDevices: t.allow_unenrolled_devices,
    chatDisabled: t.chat_disabled,
    settingsVersion: t.settings_version,
  };
}
