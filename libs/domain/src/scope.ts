import type { RemoteHelpPermission } from './permissions';

/**
 * A role assignment as the decision needs it. Its role's permissions are held by the members of
 * its admin groups, over the targets of its scope: the users and devices of its scope groups,
 * plus all users (`scopeAllUsers`) and/or all devices (`scopeAllDevices`) of the tenant.
 */
export interface DecisionAssignment {
  id: string;
  /** As granted by its role (implications are applied by the decision). */
  permissions: RemoteHelpPermission[];
  adminGroupIds: string[];
  scopeGroupIds: string[];
  scopeAllUsers: boolean;
  scopeAllDevices: boolean;
  /** Just-in-time approval: the permissions that need it when only gated assignments grant them (absent: none). */
  approvalRequiredFor?: readonly RemoteHelpPermission[];
  /** Whose members may approve (absent: none). */
  approverGroupIds?: readonly string[];
}

export interface ScopeDevice {
  tenantId: string;
  enrolled: boolean;
  groupIds: readonly string[];
}
export interface ScopeUser {
  tenantId: string;
  groupIds: readonly string[];
}

const intersects = (a: readonly string[], b: readonly string[]): boolean => {
  if (a.length === 0 || b.length === 0) return false;
  const set = new Set(b);
  return a.some((x) => set.has(x));
};

/** Whether a user in these groups holds the assignment's role (is in one of its admin groups). */
export function isMemberOfAdminGroups(userGroupIds: readonly string[], a: { adminGroupIds: readonly string[] }): boolean {
  return intersects(userGroupIds, a.adminGroupIds);
}

/**
 * Whether the assignment (of tenant `tenantId`) covers the device: a device of another tenant
 * never; otherwise when the device is in one of its scope groups, or `scopeAllDevices` and the
 * device is enrolled — Intune's "All devices" scope excludes unenrolled devices, which can then
 * only be covered through a scope group.
 */
export function coversDevice(a: DecisionAssignment, device: ScopeDevice, tenantId: string): boolean {
  if (device.tenantId !== tenantId) return false;
  return (a.scopeAllDevices && device.enrolled) || intersects(device.groupIds, a.scopeGroupIds);
}

/** Whether the assignment (of tenant `tenantId`) covers the user: never one of another tenant; else `scopeAllUsers` or a scope group. */
export function coversUser(a: DecisionAssignment, user: ScopeUser, tenantId: string): boolean {
  if (user.tenantId !== tenantId) return false;
  return a.scopeAllUsers || intersects(user.groupIds, a.scopeGroupIds);
}
