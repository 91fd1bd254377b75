import { BUILT_IN_ROLES } from '@remote-help/domain';
import { RBAC_EVENTS, TOPICS, writeToOutbox } from '@remote-help/events';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { BUILT_IN_ASSIGNMENT } from '../assignment/built-in-assignment';
import { RoleAssignmentEntity } from '../assignment/role-assignment.entity';
import { assignmentEvent, roleEvent } from './rbac-events';
import { RoleEntity } from './role.entity';

/**
 * The built-in roles of a tenant and its built-in "Remote Help Administrators" assignment
 * (the first administrators' group holds "Remote Help Administrator" over the whole tenant).
 * Idempotent: what exists already is kept as it is, and only what is created is announced on
 * TOPICS.rbac. Runs in the caller's transaction (the directory consumer's, or the CLI's).
 */
export async function ensureBuiltInRoles(manager: EntityManager, tenantId: string): Promise<void> {
  for (const r of BUILT_IN_ROLES) {
    const row = manager.create(RoleEntity, {
      id: randomUUID(),
      tenantId,
      builtInKey: r.key,
      displayName: r.displayName,
      description: r.description,
      permissions: [...r.permissions],
      adminPermissions: [...r.adminPermissions],
    });
    const inserted: { id: string }[] = await manager.query(
      `INSERT INTO roles (id, tenant_id, built_in_key, display_name, description, permissions, admin_permissions)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
      [row.id, tenantId, row.builtInKey, row.displayName, row.description, row.permissions, row.adminPermissions],
    );
    if (inserted.length) await writeToOutbox(manager, TOPICS.rbac, roleEvent(RBAC_EVENTS.roleCreated, row));
  }
}

export async function ensureBuiltInAssignment(manager: EntityManager, tenantId: string, adminGroupId: string): Promise<void> {
  const role = await manager.findOneBy(RoleEntity, { tenantId, builtInKey: BUILT_IN_ASSIGNMENT.roleKey });
  if (!role) throw new Error(`tenant ${tenantId} has no built-in ${BUILT_IN_ASSIGNMENT.roleKey} role`);
  const row = manager.create(RoleAssignmentEntity, {
    id: randomUUID(),
    tenantId,
    roleId: role.id,
    builtInKey: BUILT_IN_ASSIGNMENT.key,
    displayName: BUILT_IN_ASSIGNMENT.displayName,
    description: BUILT_IN_ASSIGNMENT.description,
    adminGroupIds: [adminGroupId],
    scopeGroupIds: [],
    scopeAllUsers: true,
    scopeAllDevices: true,
    approvalRequiredFor: [],
    approverGroupIds: [],
  });
  const inserted: { id: string }[] = await manager.query(
    `INSERT INTO role_assignments (id, tenant_id, role_id, built_in_key, display_name, description, admin_group_ids, scope_group_ids, scope_all_users, scope_all_devices)
     VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[], '{}', true, true) ON CONFLICT DO NOTHING RETURNING id`,
    [row.id, tenantId, role.id, row.builtInKey, row.displayName, row.description, row.adminGroupIds],
  );
  if (inserted.length) await writeToOutbox(manager, TOPICS.rbac, assignmentEvent(RBAC_EVENTS.assignmentCreated, row));
}
