import { Injectable } from '@nestjs/common';
import { AdminPermission, DecisionAssignment, effectiveAdminPermissions, RemoteHelpPermission, userRemoteHelpPermissions } from '@remote-help/domain';
import { DataSource } from 'typeorm';
import { AssignmentRow, decisionAssignment, DecisionFacts } from './decision-facts';

const USER_COLUMNS = `u.id, u.tenant_id, u.user_principal_name, u.display_name, u.licenses,
  ARRAY(SELECT g.group_id FROM directory_group_users g WHERE g.user_id = u.id AND g.tenant_id = u.tenant_id ORDER BY g.group_id) AS group_ids`;

const ASSIGNMENT_JSON = `jsonb_build_object('id', a.id, 'permissions', r.permissions, 'admin_permissions', r.admin_permissions,
  'admin_group_ids', a.admin_group_ids, 'scope_group_ids', a.scope_group_ids,
  'scope_all_users', a.scope_all_users, 'scope_all_devices', a.scope_all_devices)`;

/**
 * Everything a decision needs, from the local copy, in one round trip: the tenant's settings,
 * the helper with their groups, the device with its groups, the target user (given, or the
 * device's primary user) with their groups, and the tenant's assignments that the helper holds
 * (admin groups overlap the helper's groups), with their roles' permissions. Served by primary
 * keys, the (member, tenant, group) membership indexes and role_assignments (tenant_id).
 */
const DECISION_FACTS_CTES = `
WITH h AS (SELECT ${USER_COLUMNS} FROM directory_users u WHERE u.id = $2::uuid),
d AS (
  SELECT v.id, v.tenant_id, v.display_name, v.platform, v.os_version, v.manufacturer, v.enrolled, v.entra_registered,
         v.compliance, v.primary_user_id, v.version,
         ARRAY(SELECT g.group_id FROM directory_group_devices g WHERE g.device_id = v.id AND g.tenant_id = v.tenant_id ORDER BY g.group_id) AS group_ids
  FROM directory_devices v WHERE v.id = $3::uuid
),
tu AS (
  SELECT ${USER_COLUMNS} FROM directory_users u
  WHERE u.id = COALESCE($4::uuid, (SELECT d.primary_user_id FROM d WHERE d.tenant_id = $1::uuid))
)`;

const DECISION_FACTS_COLUMNS = `
  (SELECT to_jsonb(t) FROM directory_tenants t WHERE t.id = $1::uuid) AS tenant,
  (SELECT to_jsonb(h) FROM h) AS helper,
  (SELECT to_jsonb(d) FROM d) AS device,
  (SELECT to_jsonb(tu) FROM tu) AS target_user,
  (SELECT COALESCE(jsonb_agg(${ASSIGNMENT_JSON} ORDER BY a.created_at, a.id), '[]'::jsonb)
     FROM role_assignments a JOIN roles r ON r.id = a.role_id
     WHERE a.tenant_id = $1::uuid AND a.admin_group_ids && (SELECT h.group_ids FROM h WHERE h.tenant_id = $1::uuid)) AS assignments`;

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
  (SELECT COALESCE(jsonb_agg(${ASSIGNMENT_JSON} ORDER BY a.created_at, a.id), '[]'::jsonb)
     FROM role_assignments a JOIN roles r ON r.id = a.role_id
     WHERE a.tenant_id = $1::uuid AND a.admin_group_ids && (SELECT ids FROM c)) AS caller_assignments`;

/** A user's groups in the tenant and the tenant's assignments they hold, in one round trip. */
const HELD_ASSIGNMENTS_SQL = `
WITH g AS (SELECT ARRAY(SELECT m.group_id FROM directory_group_users m WHERE m.user_id = $2::uuid AND m.tenant_id = $1::uuid) AS ids)
SELECT (SELECT ids FROM g) AS group_ids,
  (SELECT COALESCE(jsonb_agg(${ASSIGNMENT_JSON} ORDER BY a.created_at, a.id), '[]'::jsonb)
     FROM role_assignments a JOIN roles r ON r.id = a.role_id
     WHERE a.tenant_id = $1::uuid AND a.admin_group_ids && (SELECT ids FROM g)) AS assignments`;

type HeldAssignmentRow = AssignmentRow & { admin_permissions: string[] };

/** The pg pool under TypeORM's PostgreSQL driver (absent with another driver). */
interface PgPool { query(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, any>[] }> }

@Injectable()
export class AccessDataService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs one of this service's fixed queries as a named prepared statement: PostgreSQL parses and
   * plans it once per connection instead of on every call (planning these multi-subquery
   * statements costs more than running them: ~0.7-2 ms against ~0.5 ms, at every directory size).
   */
  private async prepared(name: string, text: string, values: unknown[]): Promise<Record<string, any>[]> {
    const pool = (this.dataSource.driver as unknown as { master?: PgPool }).master;
    if (!pool || typeof pool.query !== 'function') return this.dataSource.query(text, values);
    return (await pool.query({ name, text, values })).rows;
  }

  async decisionFacts(q: { tenantId: string; helperId: string; deviceId: string; targetUserId?: string | null }): Promise<DecisionFacts> {
    const [row] = await this.prepared('rbac_decision_facts', DECISION_FACTS_SQL, [q.tenantId, q.helperId, q.deviceId, q.targetUserId ?? null]);
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
  async decisionFactsAndCallerPermissions(
    q: { tenantId: string; helperId: string; deviceId: string; targetUserId?: string | null },
    callerUserId: string,
  ): Promise<{ facts: DecisionFacts; callerAdminPermissions: AdminPermission[] }> {
    const [row] = await this.prepared('rbac_decision_facts_with_caller', DECISION_FACTS_WITH_CALLER_SQL, [q.tenantId, q.helperId, q.deviceId, q.targetUserId ?? null, callerUserId]);
    const held: HeldAssignmentRow[] = row.caller_assignments ?? [];
    return {
      facts: { tenant: row.tenant ?? null, helper: row.helper ?? null, device: row.device ?? null, targetUser: row.target_user ?? null, assignments: row.assignments ?? [] },
      callerAdminPermissions: effectiveAdminPermissions(
        row.caller_group_ids ?? [],
        held.map((a) => ({ adminGroupIds: a.admin_group_ids, adminPermissions: a.admin_permissions as AdminPermission[] })),
      ),
    };
  }

  private async held(tenantId: string, userId: string): Promise<{ groupIds: string[]; assignments: HeldAssignmentRow[] }> {
    const [row] = await this.prepared('rbac_held_assignments', HELD_ASSIGNMENTS_SQL, [tenantId, userId]);
    return { groupIds: row.group_ids ?? [], assignments: row.assignments ?? [] };
  }

  /** The user's tenant-wide admin permissions (from the assignments of the groups they are in). */
  async adminPermissions(tenantId: string, userId: string): Promise<AdminPermission[]> {
    const { groupIds, assignments } = await this.held(tenantId, userId);
    return effectiveAdminPermissions(
      groupIds,
      assignments.map((a) => ({ adminGroupIds: a.admin_group_ids, adminPermissions: a.admin_permissions as AdminPermission[] })),
    );
  }

  /** The user's Remote Help permissions over anything in some scope of theirs (implications applied, scope ignored). */
  async remoteHelpPermissions(tenantId: string, userId: string): Promise<RemoteHelpPermission[]> {
    const { groupIds, assignments } = await this.held(tenantId, userId);
    const decisionAssignments: DecisionAssignment[] = assignments.map(decisionAssignment);
    return userRemoteHelpPermissions(groupIds, decisionAssignments);
  }
}
