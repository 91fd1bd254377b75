import { Injectable } from '@nestjs/common';
import { BUILT_IN_ROLES, effectivePermissions } from '@remote-help/domain';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { RoleEntity } from './role.entity';
import { Role } from './role.model';

@Injectable()
export class RoleService {
  constructor(private readonly dataSource: DataSource) {}

  async listForTenant(tenantId: string): Promise<Role[]> {
    const rows = await this.dataSource.getRepository(RoleEntity).find({ where: { tenantId }, order: { createdAt: 'ASC', displayName: 'ASC' } });
    return rows.map(toRole);
  }

  async findInTenant(tenantId: string, id: string): Promise<Role | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const row = await this.dataSource.getRepository(RoleEntity).findOneBy({ tenantId, id });
    return row ? toRole(row) : null;
  }

  /** Creates the built-in roles of a tenant (idempotent: an existing built-in role is kept). */
  async ensureBuiltInRoles(manager: EntityManager, tenantId: string): Promise<void> {
    for (const r of BUILT_IN_ROLES) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(RoleEntity)
        .values({ id: randomUUID(), tenantId, builtInKey: r.key, displayName: r.displayName, description: r.description, permissions: [...r.permissions], adminPermissions: [...r.adminPermissions] })
        .orIgnore()
        .execute();
    }
  }
}

export function toRole(row: RoleEntity): Role {
  return {
    id: row.id,
    displayName: row.displayName,
    description: row.description ?? undefined,
    builtIn: row.builtInKey !== null,
    permissions: row.permissions,
    effectivePermissions: effectivePermissions(row.permissions),
    adminPermissions: row.adminPermissions,
  };
}
