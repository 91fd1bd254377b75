import { AdminPermission, RemoteHelpPermission } from '@remote-help/domain';
import { z } from 'zod';
import { domainEnum, id } from './schema-fields';

/**
 * Events of rbac-service on `TOPICS.rbac`: roles and role assignments changed (for dashboards,
 * caches, and whoever else needs them). subject: the role or assignment id.
 */
export const RBAC_EVENTS = {
  roleCreated: 'role.created',
  roleUpdated: 'role.updated',
  roleDeleted: 'role.deleted',
  assignmentCreated: 'role-assignment.created',
  assignmentUpdated: 'role-assignment.updated',
  assignmentDeleted: 'role-assignment.deleted',
} as const;

export type RbacEventType = (typeof RBAC_EVENTS)[keyof typeof RBAC_EVENTS];

/** subject: roleId. The role as it is after the change (as it was, for `role.deleted`). */
export const RoleSnapshotSchema = z.object({
  id: id(),
  tenantId: id(),
  displayName: z.string(),
  description: z.string().nullable(),
  builtIn: z.boolean(),
  permissions: z.array(domainEnum(RemoteHelpPermission)),
  adminPermissions: z.array(domainEnum(AdminPermission)),
});
export type RoleSnapshot = z.output<typeof RoleSnapshotSchema>;

/** subject: assignmentId. The assignment as it is after the change (as it was, for `role-assignment.deleted`). */
export const RoleAssignmentSnapshotSchema = z.object({
  id: id(),
  tenantId: id(),
  roleId: id(),
  displayName: z.string(),
  description: z.string().nullable(),
  adminGroupIds: z.array(id()),
  scopeGroupIds: z.array(id()),
  scopeAllUsers: z.boolean(),
  scopeAllDevices: z.boolean(),
  /** Just-in-time approval: the permissions that need an approver when only gated assignments grant them (absent from older events: none). */
  approvalRequiredFor: z.array(domainEnum(RemoteHelpPermission)).default([]),
  /** Whose members may approve (absent from older events: none). */
  approverGroupIds: z.array(id()).default([]),
});
export type RoleAssignmentSnapshot = z.output<typeof RoleAssignmentSnapshotSchema>;
