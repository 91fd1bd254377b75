import type { RBAC_EVENTS } from '@remote-help/events';
import { buildEvent, type EventOf, type RoleAssignmentSnapshot, type RoleSnapshot } from '@remote-help/events';
import { SERVICE_NAME } from '../config';
import type { RoleAssignmentEntity } from '../assignment/role-assignment.entity';
import type { RoleEntity } from './role.entity';

/** The events of rbac-service on TOPICS.rbac (libs/events contracts/rbac-events.ts). */

export function roleSnapshot(row: RoleEntity): RoleSnapshot {
  return {
    id: row.id,
    tenantId: row.tenantId,
    displayName: row.displayName,
    description: row.description,
    builtIn: row.builtInKey !== null,
    permissions: [...row.permissions],
    adminPermissions: [...row.adminPermissions],
  };
}

export function assignmentSnapshot(row: RoleAssignmentEntity): RoleAssignmentSnapshot {
  return {
    id: row.id,
    tenantId: row.tenantId,
    roleId: row.roleId,
    displayName: row.displayName,
    description: row.description,
    adminGroupIds: [...row.adminGroupIds],
    scopeGroupIds: [...row.scopeGroupIds],
    scopeAllUsers: row.scopeAllUsers,
    scopeAllDevices: row.scopeAllDevices,
    approvalRequiredFor: [...row.approvalRequiredFor],
    approverGroupIds: [...row.approverGroupIds],
  };
}

type RoleEventType = (typeof RBAC_EVENTS)['roleCreated' | 'roleUpdated' | 'roleDeleted'];
type AssignmentEventType = (typeof RBAC_EVENTS)['assignmentCreated' | 'assignmentUpdated' | 'assignmentDeleted'];

export function roleEvent(type: RoleEventType, row: RoleEntity): EventOf<RoleEventType> {
  return buildEvent(type, { source: SERVICE_NAME, tenantId: row.tenantId, subject: row.id, data: roleSnapshot(row) });
}

export function assignmentEvent(type: AssignmentEventType, row: RoleAssignmentEntity): EventOf<AssignmentEventType> {
  return buildEvent(type, { source: SERVICE_NAME, tenantId: row.tenantId, subject: row.id, data: assignmentSnapshot(row) });
}
