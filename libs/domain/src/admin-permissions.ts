import type { AdminPermission, RemoteHelpPermission } from './permissions';
import { ALL_ADMIN_PERMISSIONS, effectivePermissions } from './permissions';
import type { DecisionAssignment } from './scope';
import { isMemberOfAdminGroups } from './scope';

/**
 * The admin permissions a user holds: the union of the `adminPermissions` of every assignment
 * one of whose admin groups contains the user. Admin permissions are tenant-wide: the scope of
 * the assignment plays no part. In the enum's order, without duplicates.
 */
export function effectiveAdminPermissions(userGroupIds: readonly string[], assignments: readonly { adminGroupIds: readonly string[]; adminPermissions: readonly AdminPermission[] }[]): AdminPermission[] {
  const held = new Set<AdminPermission>();
  for (const a of assignments) {
    if (isMemberOfAdminGroups(userGroupIds, a)) for (const p of a.adminPermissions) held.add(p);
  }
  return ALL_ADMIN_PERMISSIONS.filter((p) => held.has(p));
}

/**
 * `User.effectiveRemoteHelpPermissions`: the Remote Help permissions the user holds through any
 * assignment whose admin groups contain them, over any target (scope ignored), with the
 * implications applied. Whether they hold them over a given target is the decision's business.
 */
export function userRemoteHelpPermissions(userGroupIds: readonly string[], assignments: readonly DecisionAssignment[]): RemoteHelpPermission[] {
  return effectivePermissions(assignments.filter((a) => isMemberOfAdminGroups(userGroupIds, a)).flatMap((a) => a.permissions));
}
