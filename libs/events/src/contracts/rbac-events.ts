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

export interface RoleSnapshot {
  id: string;
  tenantId: string;
  displayName: string;
  description: string | null;
  builtIn: boolean;
  permissions: string[];
  adminPermissions: string[];
}

export interface RoleAssignmentSnapshot {
  id: string;
  tenantId: string;
  roleId: string;
  displayName: string;
  description: string | null;
  adminGroupIds: string[];
  scopeGroupIds: string[];
  scopeAllUsers: boolean;
  scopeAllDevices: boolean;
}
