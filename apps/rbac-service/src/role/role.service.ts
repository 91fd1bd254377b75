import { Injectable } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { AdminPermission, effectivePermissions, isUuid } from '@remote-help/domain';
import { RBAC_EVENTS, TOPICS, writeToOutbox } from '@remote-help/events';
import { AdminAuthorizer, AuditTrail, conflict, forbidden, notFound, tenantOf } from '@remote-help/service-kit';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { FactsCache } from '../access/access-facts.cache';
import { RoleAssignmentEntity } from '../assignment/role-assignment.entity';
import { roleEvent } from './rbac-events';
import { CreateRoleInput, UpdateRoleInput } from './role.input';
import { RoleEntity } from './role.entity';
import { Role } from './role.model';
import { adminPermissionsOf, descriptionOf, displayNameOf, remoteHelpPermissionsOf } from './role.rules';

const AUDIT_CATEGORY = 'Role';

@Injectable()
export class RoleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly authorizer: AdminAuthorizer,
    private readonly audit: AuditTrail,
    private readonly facts: FactsCache,
  ) {}

  /** The tenant's roles, built-in first, then by creation. */
  async listForTenant(tenantId: string): Promise<Role[]> {
    const rows = await this.dataSource.getRepository(RoleEntity).find({ where: { tenantId }, order: { createdAt: 'ASC', displayName: 'ASC' } });
    return rows.map(toRole).sort((a, b) => Number(b.builtIn) - Number(a.builtIn));
  }

  async findInTenant(tenantId: string, id: string): Promise<Role | null> {
    if (!isUuid(id)) return null;
    const row = await this.dataSource.getRepository(RoleEntity).findOneBy({ tenantId, id });
    return row ? toRole(row) : null;
  }

  async createRole(caller: Caller, input: CreateRoleInput): Promise<Role> {
    const tenantId = tenantOf(caller);
    return this.facts.changedBy(
      tenantId,
      this.audit.run(caller, { category: AUDIT_CATEGORY, activity: 'Create role', targetId: (r: Role) => r.id, details: (r: Role) => describeRole(r) }, async (m) => {
        await this.authorizer.require(caller, AdminPermission.MANAGE_ROLES);
        const row = m.create(RoleEntity, {
          id: randomUUID(),
          tenantId,
          builtInKey: null,
          displayName: displayNameOf(input.displayName, 'role'),
          description: descriptionOf(input.description, 'role'),
          permissions: remoteHelpPermissionsOf(input.permissions),
          adminPermissions: adminPermissionsOf(input.adminPermissions),
        });
        await assertNameFree(m, tenantId, row.displayName, null);
        await insertOrConflict(m, row, () => m.insert(RoleEntity, row));
        const saved = await m.findOneByOrFail(RoleEntity, { id: row.id });
        await writeToOutbox(m, TOPICS.rbac, roleEvent(RBAC_EVENTS.roleCreated, saved));
        return toRole(saved);
      }),
    );
  }

  async updateRole(caller: Caller, id: string, input: UpdateRoleInput): Promise<Role> {
    const tenantId = tenantOf(caller);
    return this.facts.changedBy(
      tenantId,
      this.audit.run(caller, { category: AUDIT_CATEGORY, activity: 'Update role', targetId: isUuid(id) ? id : null, details: (r: Role) => describeRole(r) }, async (m) => {
        await this.authorizer.require(caller, AdminPermission.MANAGE_ROLES);
        const row = await lockRole(m, tenantId, id);
        if (row.builtInKey !== null) throw forbidden(`"${row.displayName}" is a built-in role and cannot be edited; create a custom role instead`);
        if (input.displayName !== undefined && input.displayName !== null) row.displayName = displayNameOf(input.displayName, 'role');
        if (input.description !== undefined) row.description = descriptionOf(input.description, 'role');
        if (input.permissions !== undefined && input.permissions !== null) row.permissions = remoteHelpPermissionsOf(input.permissions);
        if (input.adminPermissions !== undefined && input.adminPermissions !== null) row.adminPermissions = adminPermissionsOf(input.adminPermissions);
        await assertNameFree(m, tenantId, row.displayName, row.id);
        await insertOrConflict(m, row, () => m.update(RoleEntity, { id: row.id }, { displayName: row.displayName, description: row.description, permissions: row.permissions, adminPermissions: row.adminPermissions }));
        const saved = await m.findOneByOrFail(RoleEntity, { id: row.id });
        await writeToOutbox(m, TOPICS.rbac, roleEvent(RBAC_EVENTS.roleUpdated, saved));
        return toRole(saved);
      }),
    );
  }

  async deleteRole(caller: Caller, id: string): Promise<boolean> {
    const tenantId = tenantOf(caller);
    return this.facts.changedBy(
      tenantId,
      this.audit.run(caller, { category: AUDIT_CATEGORY, activity: 'Delete role', targetId: isUuid(id) ? id : null }, async (m) => {
        await this.authorizer.require(caller, AdminPermission.MANAGE_ROLES);
        const row = await lockRole(m, tenantId, id);
        if (row.builtInKey !== null) throw forbidden(`"${row.displayName}" is a built-in role and cannot be deleted`);
        const assignments = await m.countBy(RoleAssignmentEntity, { tenantId, roleId: row.id });
        if (assignments > 0) {
          throw conflict(`the role "${row.displayName}" still has ${assignments} assignment${assignments === 1 ? '' : 's'}; delete ${assignments === 1 ? 'it' : 'them'} first`);
        }
        try {
          await m.delete(RoleEntity, { id: row.id, tenantId });
        } catch (e) {
          // 23503: an assignment of this role was created meanwhile.
          if ((e as { code?: string }).code === '23503') throw conflict(`the role "${row.displayName}" still has assignments; delete them first`);
          throw e;
        }
        await writeToOutbox(m, TOPICS.rbac, roleEvent(RBAC_EVENTS.roleDeleted, row));
        return true;
      }),
    );
  }
}

/** The role, locked for this transaction; NOT_FOUND when it is not a role of the tenant. */
async function lockRole(m: EntityManager, tenantId: string, id: string): Promise<RoleEntity> {
  const row = isUuid(id) ? await m.findOne(RoleEntity, { where: { tenantId, id }, lock: { mode: 'pessimistic_write' } }) : null;
  if (!row) throw notFound(`role ${id}`);
  return row;
}

async function assertNameFree(m: EntityManager, tenantId: string, name: string, exceptId: string | null) {
  const taken = await m.query(`SELECT display_name FROM roles WHERE tenant_id = $1 AND lower(display_name) = lower($2) AND ($3::uuid IS NULL OR id <> $3::uuid) LIMIT 1`, [tenantId, name, exceptId]);
  if (taken.length) throw conflict(`a role named "${taken[0].display_name}" already exists in this tenant`);
}

/** Runs an insert or update; a unique violation (a concurrent role of the same name) is a CONFLICT. */
async function insertOrConflict(_m: EntityManager, row: RoleEntity, write: () => Promise<unknown>) {
  try {
    await write();
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw conflict(`a role named "${row.displayName}" already exists in this tenant`);
    throw e;
  }
}

function describeRole(r: Role): string {
  return `${r.displayName}: ${r.permissions.join(', ') || 'no Remote Help permission'}; admin: ${r.adminPermissions.join(', ') || 'none'}`;
}

export function toRole(row: RoleEntity): Role {
  return {
    id: row.id,
    tenantId: row.tenantId,
    displayName: row.displayName,
    description: row.description ?? undefined,
    builtIn: row.builtInKey !== null,
    permissions: row.permissions,
    effectivePermissions: effectivePermissions(row.permissions),
    adminPermissions: row.adminPermissions,
  };
}
