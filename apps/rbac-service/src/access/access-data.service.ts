import { Injectable, Optional } from '@nestjs/common';
import { AdminPermission, DecisionAssignment, effectiveAdminPermissions, RemoteHelpPermission, userRemoteHelpPermissions } from '@remote-help/domain';
import { preparedQuery } from '@remote-help/service-kit';
import { DataSource } from 'typeorm';
import { assignmentsHeldBy, FactsCache, indexedAssignments, TenantAssignmentRow, TenantAssignments } from './access-facts.cache';
import { decisionAssignment, DecisionFacts, DeviceRow, TenantRow, UserRow } from './decision-facts';

const USER_COLUMNS = `u.id, u.tenant_id, u.user_principal_name, u.display_name, u.licenses,
  ARRAY(SELECT g.group_id FROM directory_group_users g WHERE g.user_id = u.id AND g.tenant_id = u.tenant_id ORDER BY g.group_id) AS group_ids`;

const DEVICE_COLUMNS = `v.id, v.tenant_id, v.display_name, v.platform, v.os_version, v.manufacturer, v.enrolled, v.entra_registered,
  v.compliance, v.primary_user_id, v.version,
  ARRAY(SELECT g.group_id FROM directory_group_devices g WHERE g.device_id = v.id AND g.tenant_id = v.tenant_id ORDER BY g.group_id) AS group_ids`;

const ASSIGNMENT_JSON = `jsonb_build_object('id', a.id, 'permissions', r.permissions, 'admin_permissions', r.admin_permissions,
  'admin_group_ids', a.admin_group_ids, 'scope_group_ids', a.scope_group_ids,
  'scope_all_users', a.scope_all_users, 'scope_all_devices', a.scope_all_devices,
  'approval_required_for', a.approval_required_for, 'approver_group_ids', a.approver_group_ids)`;

/** The tenant's ($1) assignments, oldest first, as a jsonb array, those matching `where` only. */
const assignmentsJson = (where = 'true') => `(SELECT COALESCE(jsonb_agg(${ASSIGNMENT_JSON} ORDER BY a.created_at, a.id), '[]'::jsonb)
     FROM role_assignments a JOIN roles r ON r.id = a.role_id WHERE a.tenant_id = $1::uuid AND ${where})`;

/**
 * Everything a decision needs, from the local copy, in one round trip: the tenant's settings,
 * the helper with their groups, the device with its groups, the target user (given, or the
 * device's primary user) with their groups, and the tenant's assignments that the helper holds
 * (admin groups overlap the helper's groups), with their roles' permissions. Served by primary
 * keys, the (member, tenant, group) membership indexes and role_assignments (tenant_id).
 */
const DECISION_FACTS_CTES = `
WITH h AS (SELECT ${USER_COLUMNS} FROM directory_users u WHERE u.id = $2::uuid),
d AS (SELECT ${DEVICE_COLUMNS} FROM directory_devices v WHERE v.id = $3::uuid),
tu AS (
  SELECT ${USER_COLUMNS} FROM directory_users u
  WHERE u.id = COALESCE($4::uuid, (SELECT d.primary_user_id FROM d WHERE d.tenant_id = $1::uuid))
)`;

const DECISION_FACTS_COLUMNS = `
  (SELECT to_jsonb(t) FROM directory_tenants t WHERE t.id = $1::uuid) AS tenant,
  (SELECT to_jsonb(h) FROM h) AS helper,
  (SELECT to_jsonb(d) FROM d) AS device,
  (SELECT to_jsonb(tu) FROM tu) AS target_user,
  ${assignmentsJson('a.admin_group_ids && (SELECT h.group_ids FROM h WHERE h.tenant_id = $1::uuid)')} AS assignments`;

const DECISION_FACTS_SQL = `${DECISION_FACTS_CTES}
SELECT ${DECISION_FACTS_COLUMNS}`;

/**
 * The decision facts and, in the same round trip, what the caller ($5, an admin asking about
 * someone else) needs for their own admin permissions: their groups in the tenant and the
 * tenant's assignments they hold (as HELD_ASSIGNMENTS_SQL reads them).
 */
const DECISION_FACTS_WITH_CALLER_SQL = `${DECISION_FACTS_CTES},
c AS (SELECT ARRAY(SELECT m.group_id FROM directory_group_users m WHERE m.user_id = $5::uuid AND m.tenant_id = $1::uuid) AS ids)
SELECT ${DECISION_FACTS_COLUMNS},
  (SELECT ids FROM c) AS caller_group_ids,
  ${assignmentsJson('a.admin_group_ids && (SELECT ids FROM c)')} AS caller_assignments`;

/** A user's groups in the tenant and the tenant's assignments they hold, in one round trip. */
const HELD_ASSIGNMENTS_SQL = `
WITH g AS (SELECT ARRAY(SELECT m.group_id FROM directory_group_users m WHERE m.user_id = $2::uuid AND m.tenant_id = $1::uuid) AS ids)
SELECT (SELECT ids FROM g) AS group_ids,
  ${assignmentsJson('a.admin_group_ids && (SELECT ids FROM g)')} AS assignments`;

/**
 * What FactsCache lacks for a decision, in one round trip: the tenant's settings and all of its
 * assignments ($7), the helper ($2), the device ($3), the target user ($4, or with $5 the device's
 * primary user when the device is the tenant's) and the caller ($6); a null id reads nothing.
 */
const MISSING_FACTS_SQL = `
WITH h AS (SELECT ${USER_COLUMNS} FROM directory_users u WHERE u.id = $2::uuid),
d AS (SELECT ${DEVICE_COLUMNS} FROM directory_devices v WHERE v.id = $3::uuid),
tu AS (
  SELECT ${USER_COLUMNS} FROM directory_users u
  WHERE u.id = COALESCE($4::uuid, CASE WHEN $5::boolean THEN (SELECT d.primary_user_id FROM d WHERE d.tenant_id = $1::uuid) END)
),
cu AS (SELECT ${USER_COLUMNS} FROM directory_users u WHERE u.id = $6::uuid)
SELECT
  CASE WHEN $7::boolean THEN (SELECT to_jsonb(t) FROM directory_tenants t WHERE t.id = $1::uuid) END AS tenant,
  CASE WHEN $7::boolean THEN ${assignmentsJson()} END AS assignments,
  (SELECT to_jsonb(h) FROM h) AS helper,
  (SELECT to_jsonb(d) FROM d) AS device,
  (SELECT to_jsonb(tu) FROM tu) AS target_user,
  (SELECT to_jsonb(cu) FROM cu) AS caller`;

type HeldAssignmentRow = TenantAssignmentRow;

type FactsQuery = { tenantId: string; helperId: string; deviceId: string; targetUserId?: string | null };

@Injectable()
export class AccessDataService {
  /** Without a cache (or while its change feed is down), every decision reads the database. */
  constructor(
    private readonly dataSource: DataSource,
    @Optional() private readonly cache?: FactsCache,
  ) {}

  async decisionFacts(q: FactsQuery): Promise<DecisionFacts> {
    if (this.cache?.live) return (await this.cachedFacts(this.cache, q, null)).facts;
    const [row] = await preparedQuery(this.dataSource, 'rbac_decision_facts', DECISION_FACTS_SQL, [q.tenantId, q.helperId, q.deviceId, q.targetUserId ?? null]);
    return {
      tenant: row.tenant ?? null,
      helper: row.helper ?? null,
      device: row.device ?? null,
      targetUser: row.target_user ?? null,
      assignments: row.assignments ?? [],
    };
  }

  /**
   * decisionFacts, and the admin permissions of `callerUserId` in the tenant (as adminPermissions
   * gives them), in one round trip: what checkRemoteHelpAccess needs when an admin asks.
   */
  async decisionFactsAndCallerPermissions(q: FactsQuery, callerUserId: string): Promise<{ facts: DecisionFacts; callerAdminPermissions: AdminPermission[] }> {
    if (this.cache?.live) {
      const { facts, caller, assignments } = await this.cachedFacts(this.cache, q, callerUserId);
      // A caller the copy holds as a user of this tenant: their groups are its memberships in the
      // tenant (as the query reads them). Anyone else (unknown yet, another tenant's): the query.
      if (caller && caller.tenant_id === q.tenantId && assignments) {
        const held = assignmentsHeldBy(assignments, caller.group_ids);
        return { facts, callerAdminPermissions: adminPermissionsOf(caller.group_ids, held) };
      }
      const own = await this.held(q.tenantId, callerUserId);
      return { facts, callerAdminPermissions: adminPermissionsOf(own.groupIds, own.assignments) };
    }
    const [row] = await preparedQuery(this.dataSource, 'rbac_decision_facts_with_caller', DECISION_FACTS_WITH_CALLER_SQL, [q.tenantId, q.helperId, q.deviceId, q.targetUserId ?? null, callerUserId]);
    const held: HeldAssignmentRow[] = row.caller_assignments ?? [];
    return {
      facts: { tenant: row.tenant ?? null, helper: row.helper ?? null, device: row.device ?? null, targetUser: row.target_user ?? null, assignments: row.assignments ?? [] },
      callerAdminPermissions: adminPermissionsOf(row.caller_group_ids ?? [], held),
    };
  }

  /**
   * The decision facts from the cache, with what it lacks read in one round trip (and kept, unless
   * its tenant changed meanwhile); with `callerUserId`, the caller's row too. `assignments` are all
   * of the tenant's assignments, indexed (null when the copy does not know the tenant).
   */
  private async cachedFacts(cache: FactsCache, q: FactsQuery, callerUserId: string | null): Promise<{ facts: DecisionFacts; caller: UserRow | null; assignments: TenantAssignments | null }> {
    const ticket = cache.ticket();
    const entry = cache.tenant(q.tenantId);
    let tenant: TenantRow | null = entry?.tenant ?? null;
    let assignments: TenantAssignments | null = entry ?? null;
    let helper: UserRow | null | undefined = cache.user(q.helperId);
    let device: DeviceRow | null | undefined = cache.device(q.deviceId);
    // undefined: not known yet (the device is not cached); null: no target user.
    const targetId = q.targetUserId ?? (device ? (device.tenant_id === q.tenantId ? device.primary_user_id : null) : undefined);
    let targetUser: UserRow | null | undefined = targetId ? cache.user(targetId) : targetId === null ? null : undefined;
    let caller: UserRow | null | undefined = callerUserId ? cache.user(callerUserId) : null;
    if (!entry || helper === undefined || device === undefined || targetUser === undefined || caller === undefined) {
      const [row] = await preparedQuery(this.dataSource, 'rbac_missing_facts', MISSING_FACTS_SQL, [
        q.tenantId,
        helper === undefined ? q.helperId : null,
        device === undefined ? q.deviceId : null,
        targetUser === undefined && targetId ? targetId : null,
        targetUser === undefined && targetId === undefined,
        caller === undefined ? callerUserId : null,
        !entry,
      ]);
      if (!entry) {
        tenant = row.tenant ?? null;
        const all: TenantAssignmentRow[] = row.assignments ?? [];
        assignments = indexedAssignments(all);
        if (tenant) cache.putTenant(tenant, all, ticket);
      }
      if (helper === undefined) helper = kept(row.helper, (u: UserRow) => cache.putUser(u, ticket));
      if (device === undefined) device = kept(row.device, (d: DeviceRow) => cache.putDevice(d, ticket));
      if (targetUser === undefined) targetUser = kept(row.target_user, (u: UserRow) => cache.putUser(u, ticket));
      if (caller === undefined) caller = kept(row.caller, (u: UserRow) => cache.putUser(u, ticket));
    }
    const facts: DecisionFacts = {
      tenant,
      helper,
      device,
      targetUser,
      assignments: helper && helper.tenant_id === q.tenantId && assignments ? assignmentsHeldBy(assignments, helper.group_ids) : [],
    };
    return { facts, caller, assignments };
  }

  private async held(tenantId: string, userId: string): Promise<{ groupIds: string[]; assignments: HeldAssignmentRow[] }> {
    const [row] = await preparedQuery(this.dataSource, 'rbac_held_assignments', HELD_ASSIGNMENTS_SQL, [tenantId, userId]);
    return { groupIds: row.group_ids ?? [], assignments: row.assignments ?? [] };
  }

  /** The user's tenant-wide admin permissions (from the assignments of the groups they are in). */
  async adminPermissions(tenantId: string, userId: string): Promise<AdminPermission[]> {
    const { groupIds, assignments } = await this.held(tenantId, userId);
    return adminPermissionsOf(groupIds, assignments);
  }

  /** The user's Remote Help permissions over anything in some scope of theirs (implications applied, scope ignored). */
  async remoteHelpPermissions(tenantId: string, userId: string): Promise<RemoteHelpPermission[]> {
    const { groupIds, assignments } = await this.held(tenantId, userId);
    const decisionAssignments: DecisionAssignment[] = assignments.map(decisionAssignment);
    return userRemoteHelpPermissions(groupIds, decisionAssignments);
  }
}

function adminPermissionsOf(groupIds: readonly string[], held: readonly HeldAssignmentRow[]): AdminPermission[] {
  return effectiveAdminPermissions(
    [...groupIds],
    held.map((a) => ({ adminGroupIds: a.admin_group_ids, adminPermissions: a.admin_permissions as AdminPermission[] })),
  );
}

/** The row when there is one, after handing it to `put` (to keep it); null otherwise. */
function kept<T>(row: T | null | undefined, put: (row: T) => void): T | null {
  if (!row) return null;
  put(row);
  return row;
}
