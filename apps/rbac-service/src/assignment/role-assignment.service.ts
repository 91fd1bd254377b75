import { Injectable } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { AdminPermission, isUuid } from '@remote-help/domain';
import { RBAC_EVENTS, TOPICS, writeToOutbox } from '@remote-help/events';
import { AdminAuthorizer, AuditedAction, AuditTrail, badInput, forbidden, notFound, tenantOf } from '@remote-help/service-kit';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { FactsCache } from '../access/access-facts.cache';
import { assignmentEvent } from '../role/rbac-events';
import { RoleEntity } from '../role/role.entity';
import { checkApprovalSettings, descriptionOf, displayNameOf, groupIdsOf, remoteHelpPermissionsOf } from '../role/role.rules';
import { CreateRoleAssignmentInput, RoleAssignment, UpdateRoleAssignmentInput } from './role-assignment.model';
import { RoleAssignmentEntity } from './role-assignment.entity';

const AUDIT_CATEGORY = 'Role';
const NO_ADMIN_GROUP = 'a role assignment needs at least one admin group (whose members hold the role)';

/**
 * How long createRoleAssignment waits for a group it does not know yet: the local copy follows
 * tenant-service through Kafka (typically 100-500 ms behind), so a group created just before
 * may not be here yet. Unknown groups are looked for again every 100 ms for up to 3 s before the
 * input is refused (a group of another tenant, or a made-up id, is refused after that wait).
 */
export const GROUP_WAIT_MS = 3000;
const GROUP_POLL_MS = 100;

interface GroupRow {
  id: string;
  display_name: string;
  member_kind: 'USERS' | 'DEVICES' | 'MIXED';
}

@Injectable()
export class RoleAssignmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly authorizer: AdminAuthorizer,
    private readonly audit: AuditTrail,
    private readonly facts: FactsCache,
  ) {}

  /** The tenant's assignments, the built-in one first, then by creation. */
  async listForTenant(tenantId: string): Promise<RoleAssignment[]> {
    const rows = await this.dataSource.getRepository(RoleAssignmentEntity).find({ where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(toRoleAssignment).sort((a, b) => Number(b.builtIn) - Number(a.builtIn));
  }

  async createRoleAssignment(caller: Caller, input: CreateRoleAssignmentInput, waitMs = GROUP_WAIT_MS): Promise<RoleAssignment> {
    const tenantId = tenantOf(caller);
    const action: AuditedAction<RoleAssignment> = {
      category: AUDIT_CATEGORY,
      activity: 'Create role assignment',
      targetId: (a) => a.id,
      details: (a) => `${a.displayName}: role ${a.roleId}, admin groups ${a.adminGroups.map((g) => g.id).join(', ')}, scope ${describeScope(a)}${describeApproval(a)}`,
    };
    // Checked before the transaction, since it may wait for the local copy to catch up.
    let checked: { row: RoleAssignmentEntity; role: RoleEntity };
    try {
      checked = await this.prepare(caller, tenantId, input, waitMs);
    } catch (e) {
      await this.audit.run(caller, action, () => Promise.reject(e)).catch(() => undefined);
      throw e;
    }
    return this.facts.changedBy(
      tenantId,
      this.audit.run(caller, action, async (m) => {
        // The role may have been deleted meanwhile: lock it (FOR SHARE) while the assignment is written.
        const role = await m.findOne(RoleEntity, { where: { tenantId, id: checked.role.id }, lock: { mode: 'pessimistic_read' } });
        if (!role) throw notFound(`role ${input.roleId}`);
        await m.insert(RoleAssignmentEntity, checked.row);
        const saved = await m.findOneByOrFail(RoleAssignmentEntity, { id: checked.row.id });
        await writeToOutbox(m, TOPICS.rbac, assignmentEvent(RBAC_EVENTS.assignmentCreated, saved));
        return toRoleAssignment(saved);
      }),
    );
  }

  private async prepare(caller: Caller, tenantId: string, input: CreateRoleAssignmentInput, waitMs: number) {
    await this.authorizer.require(caller, AdminPermission.MANAGE_ROLES);
    const displayName = displayNameOf(input.displayName, 'role assignment');
    const description = descriptionOf(input.description, 'role assignment');
    const adminGroupIds = groupIdsOf(input.adminGroupIds, 'admin');
    const scopeGroupIds = groupIdsOf(input.scopeGroupIds, 'scope');
    const approvalRequiredFor = remoteHelpPermissionsOf(input.approvalRequiredFor);
    const approverGroupIds = groupIdsOf(input.approverGroupIds, 'approver');
    if (adminGroupIds.length === 0) throw badInput(NO_ADMIN_GROUP);
    checkApprovalSettings(approvalRequiredFor, approverGroupIds);
    const role = isUuid(input.roleId) ? await this.dataSource.getRepository(RoleEntity).findOneBy({ tenantId, id: input.roleId }) : null;
    if (!role) throw notFound(`role ${input.roleId}`);
    await this.checkGroups(tenantId, { admin: adminGroupIds, scope: scopeGroupIds, approver: approverGroupIds }, waitMs);
    const row = this.dataSource.manager.create(RoleAssignmentEntity, {
      id: randomUUID(),
      tenantId,
      roleId: role.id,
      builtInKey: null,
      displayName,
      description,
      adminGroupIds,
      scopeGroupIds,
      scopeAllUsers: input.scopeAllUsers ?? false,
      scopeAllDevices: input.scopeAllDevices ?? false,
      approvalRequiredFor,
      approverGroupIds,
    });
    return { row, role };
  }

  /** Refuses group ids that are not groups of this tenant (after waiting for them), and admin or approver groups of devices. */
  private async checkGroups(tenantId: string, lists: { admin: string[]; scope: string[]; approver: string[] }, waitMs: number): Promise<void> {
    const groups = await this.waitForGroups(tenantId, [...new Set([...lists.admin, ...lists.scope, ...lists.approver])], waitMs);
    for (const [what, ids] of Object.entries(lists)) {
      for (const id of ids) if (!groups.has(id)) throw badInput(`${what} group ${id} is not a group of this tenant`);
    }
    for (const [what, ids] of [
      ['admin', lists.admin],
      ['approver', lists.approver],
    ] as const) {
      for (const id of ids) {
        const g = groups.get(id)!;
        if (g.member_kind === 'DEVICES') throw badInput(`${what} group "${g.display_name}" (${id}) holds devices; the ${what} groups of an assignment must hold users`);
      }
    }
  }

  /**
   * Changes the fields given of a custom assignment (MANAGE_ROLES); an absent field is left as it
   * is. Group ids are checked as createRoleAssignment checks them (waiting for new groups); the
   * built-in assignment cannot be edited.
   */
  async updateRoleAssignment(caller: Caller, id: string, input: UpdateRoleAssignmentInput, waitMs = GROUP_WAIT_MS): Promise<RoleAssignment> {
    const tenantId = tenantOf(caller);
    const action: AuditedAction<RoleAssignment> = {
      category: AUDIT_CATEGORY,
      activity: 'Update role assignment',
      targetId: isUuid(id) ? id : null,
      details: (a) => `${a.displayName}: admin groups ${a.adminGroups.map((g) => g.id).join(', ')}, scope ${describeScope(a)}${describeApproval(a)}`,
    };
    let change: Partial<Pick<RoleAssignmentEntity, 'displayName' | 'description' | 'adminGroupIds' | 'scopeGroupIds' | 'scopeAllUsers' | 'scopeAllDevices' | 'approvalRequiredFor' | 'approverGroupIds'>>;
    try {
      await this.authorizer.require(caller, AdminPermission.MANAGE_ROLES);
      change = {};
      if (input.displayName !== undefined) change.displayName = displayNameOf(input.displayName, 'role assignment');
      if (input.description !== undefined) change.description = descriptionOf(input.description, 'role assignment');
      if (input.adminGroupIds !== undefined && input.adminGroupIds !== null) change.adminGroupIds = groupIdsOf(input.adminGroupIds, 'admin');
      if (input.scopeGroupIds !== undefined && input.scopeGroupIds !== null) change.scopeGroupIds = groupIdsOf(input.scopeGroupIds, 'scope');
      if (input.scopeAllUsers !== undefined && input.scopeAllUsers !== null) change.scopeAllUsers = input.scopeAllUsers;
      if (input.scopeAllDevices !== undefined && input.scopeAllDevices !== null) change.scopeAllDevices = input.scopeAllDevices;
      if (input.approvalRequiredFor !== undefined && input.approvalRequiredFor !== null) change.approvalRequiredFor = remoteHelpPermissionsOf(input.approvalRequiredFor);
      if (input.approverGroupIds !== undefined && input.approverGroupIds !== null) change.approverGroupIds = groupIdsOf(input.approverGroupIds, 'approver');
      if (change.adminGroupIds?.length === 0) throw badInput(NO_ADMIN_GROUP);
      // Both given: checked now; one of them: checked against the other as stored, below.
      if (change.approvalRequiredFor && change.approverGroupIds) checkApprovalSettings(change.approvalRequiredFor, change.approverGroupIds);
      await this.checkGroups(tenantId, { admin: change.adminGroupIds ?? [], scope: change.scopeGroupIds ?? [], approver: change.approverGroupIds ?? [] }, waitMs);
    } catch (e) {
      await this.audit.run(caller, action, () => Promise.reject(e)).catch(() => undefined);
      throw e;
    }
    return this.facts.changedBy(
      tenantId,
      this.audit.run(caller, action, async (m) => {
        const row = await lockAssignment(m, tenantId, id);
        if (row.builtInKey !== null) throw forbidden(`"${row.displayName}" is the built-in assignment of the tenant's first administrators and cannot be edited`);
        checkApprovalSettings(change.approvalRequiredFor ?? row.approvalRequiredFor, change.approverGroupIds ?? row.approverGroupIds);
        if (Object.keys(change).length) await m.update(RoleAssignmentEntity, { id: row.id, tenantId }, change);
        const saved = await m.findOneByOrFail(RoleAssignmentEntity, { id: row.id });
        await writeToOutbox(m, TOPICS.rbac, assignmentEvent(RBAC_EVENTS.assignmentUpdated, saved));
        return toRoleAssignment(saved);
      }),
    );
  }

  /** The tenant's groups among `ids`, waiting up to `waitMs` for the ones the local copy lacks. */
  private async waitForGroups(tenantId: string, ids: string[], waitMs: number): Promise<Map<string, GroupRow>> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const rows: GroupRow[] = ids.length ? await this.dataSource.query(`SELECT id, display_name, member_kind FROM directory_groups WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [tenantId, ids]) : [];
      if (rows.length === ids.length || Date.now() >= deadline) return new Map(rows.map((r) => [r.id, r]));
      await new Promise((r) => setTimeout(r, Math.min(GROUP_POLL_MS, Math.max(0, deadline - Date.now()))));
    }
  }

  async deleteRoleAssignment(caller: Caller, id: string): Promise<boolean> {
    const tenantId = tenantOf(caller);
    return this.facts.changedBy(
      tenantId,
      this.audit.run(caller, { category: AUDIT_CATEGORY, activity: 'Delete role assignment', targetId: isUuid(id) ? id : null }, async (m) => {
        await this.authorizer.require(caller, AdminPermission.MANAGE_ROLES);
        const row = await lockAssignment(m, tenantId, id);
        if (row.builtInKey !== null) throw forbidden(`"${row.displayName}" is the built-in assignment of the tenant's first administrators and cannot be deleted`);
        await m.delete(RoleAssignmentEntity, { id: row.id, tenantId });
        await writeToOutbox(m, TOPICS.rbac, assignmentEvent(RBAC_EVENTS.assignmentDeleted, row));
        return true;
      }),
    );
  }
}

async function lockAssignment(m: EntityManager, tenantId: string, id: string): Promise<RoleAssignmentEntity> {
  const row = isUuid(id) ? await m.findOne(RoleAssignmentEntity, { where: { tenantId, id }, lock: { mode: 'pessimistic_write' } }) : null;
  if (!row) throw notFound(`role assignment ${id}`);
  return row;
}

function describeApproval(a: RoleAssignment): string {
  return a.approvalRequiredFor.length ? `, approval required for ${a.approvalRequiredFor.join(', ')} by groups ${a.approverGroups.map((g) => g.id).join(', ')}` : '';
}

function describeScope(a: RoleAssignment): string {
  const parts = [...(a.scopeAllUsers ? ['all users'] : []), ...(a.scopeAllDevices ? ['all devices'] : []), ...a.scopeGroups.map((g) => `group ${g.id}`)];
  return parts.join(', ') || 'nothing';
}

export function toRoleAssignment(row: RoleAssignmentEntity): RoleAssignment {
  return {
    id: row.id,
    tenantId: row.tenantId,
    roleId: row.roleId,
    displayName: row.displayName,
    description: row.description,
    builtIn: row.builtInKey !== null,
    adminGroups: row.adminGroupIds.map((id) => ({ id })),
    scopeGroups: row.scopeGroupIds.map((id) => ({ id })),
    scopeAllUsers: row.scopeAllUsers,
    scopeAllDevices: row.scopeAllDevices,
    approvalRequiredFor: row.approvalRequiredFor,
    approverGroups: row.approverGroupIds.map((id) => ({ id })),
  };
}
