import { Injectable } from '@nestjs/common';
import type { DeviceSnapshot, GroupCreatedData, GroupMembersChangedData, SettingsSnapshot, TenantCreatedData, UserSnapshot } from '@remote-help/events';
import { EntityManager } from 'typeorm';
import { ensureBuiltInAssignment, ensureBuiltInRoles } from '../role/built-ins';

/**
 * Writes the local copy of the directory and settings, exactly as tenant-service's events say.
 * Every method is idempotent: a snapshot applies only when its version is newer than the stored
 * one (and only to a row of the same tenant), creations and membership changes insert if absent
 * and delete if present. Used by the Kafka consumer and by `cli.js bootstrap-tenant`.
 */
@Injectable()
export class DirectoryStore {
  /** tenant.created: the tenant, its built-in roles and its built-in admin assignment. */
  async tenantCreated(m: EntityManager, d: TenantCreatedData): Promise<void> {
    await m.query(
      `INSERT INTO directory_tenants (id, display_name, cloud, admin_user_id, admin_group_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name, admin_user_id = EXCLUDED.admin_user_id,
         admin_group_id = COALESCE(EXCLUDED.admin_group_id, directory_tenants.admin_group_id)
       WHERE (directory_tenants.display_name, directory_tenants.admin_user_id, directory_tenants.admin_group_id)
         IS DISTINCT FROM (EXCLUDED.display_name, EXCLUDED.admin_user_id, COALESCE(EXCLUDED.admin_group_id, directory_tenants.admin_group_id))`,
      [d.tenantId, d.displayName, d.cloud, d.adminUserId, d.adminGroupId],
    );
    await ensureBuiltInRoles(m, d.tenantId);
    if (d.adminGroupId) await ensureBuiltInAssignment(m, d.tenantId, d.adminGroupId);
  }

  /** tenant.settings.updated. A tenant row is created if tenant.created has not been seen yet. */
  async settingsUpdated(m: EntityManager, s: SettingsSnapshot): Promise<void> {
    await m.query(
      `INSERT INTO directory_tenants (id, cloud, remote_help_enabled, allow_unenrolled_devices, chat_disabled, settings_updated_at, settings_updated_by, settings_version, require_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO UPDATE SET cloud = EXCLUDED.cloud, remote_help_enabled = EXCLUDED.remote_help_enabled,
         allow_unenrolled_devices = EXCLUDED.allow_unenrolled_devices, chat_disabled = EXCLUDED.chat_disabled, require_reason = EXCLUDED.require_reason,
         settings_updated_at = EXCLUDED.settings_updated_at, settings_updated_by = EXCLUDED.settings_updated_by,
         settings_version = EXCLUDED.settings_version
       WHERE directory_tenants.settings_version < EXCLUDED.settings_version`,
      [s.tenantId, s.cloud, s.remoteHelpEnabled, s.allowUnenrolledDevices, s.chatDisabled, s.updatedAt, s.updatedBy, s.version, s.requireReason],
    );
  }

  /** user.upserted and license.assigned (the same snapshot, with all of the user's licences). */
  async userUpserted(m: EntityManager, u: UserSnapshot): Promise<void> {
    await m.query(
      `INSERT INTO directory_users (id, tenant_id, user_principal_name, display_name, licenses, version)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)
       ON CONFLICT (id) DO UPDATE SET user_principal_name = EXCLUDED.user_principal_name, display_name = EXCLUDED.display_name,
         licenses = EXCLUDED.licenses, version = EXCLUDED.version
       WHERE directory_users.version < EXCLUDED.version AND directory_users.tenant_id = EXCLUDED.tenant_id`,
      [u.id, u.tenantId, u.userPrincipalName, u.displayName, JSON.stringify(u.licenses), u.version],
    );
  }

  async deviceUpserted(m: EntityManager, d: DeviceSnapshot): Promise<void> {
    await m.query(
      `INSERT INTO directory_devices (id, tenant_id, display_name, platform, os_version, manufacturer, enrolled, entra_registered, compliance, primary_user_id, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name, platform = EXCLUDED.platform, os_version = EXCLUDED.os_version,
         manufacturer = EXCLUDED.manufacturer, enrolled = EXCLUDED.enrolled, entra_registered = EXCLUDED.entra_registered,
         compliance = EXCLUDED.compliance, primary_user_id = EXCLUDED.primary_user_id, version = EXCLUDED.version
       WHERE directory_devices.version < EXCLUDED.version AND directory_devices.tenant_id = EXCLUDED.tenant_id`,
      [d.id, d.tenantId, d.displayName, d.platform, d.osVersion, d.manufacturer, d.enrolled, d.entraRegistered, d.compliance, d.primaryUserId, d.version],
    );
  }

  async groupCreated(m: EntityManager, g: GroupCreatedData): Promise<void> {
    await m.query(`INSERT INTO directory_groups (id, tenant_id, display_name, member_kind) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`, [g.id, g.tenantId, g.displayName, g.memberKind]);
  }

  async membersAdded(m: EntityManager, c: GroupMembersChangedData): Promise<void> {
    if (c.userIds.length) {
      await m.query(`INSERT INTO directory_group_users (group_id, user_id, tenant_id) SELECT $1, u, $2 FROM unnest($3::uuid[]) AS u ON CONFLICT DO NOTHING`, [c.groupId, c.tenantId, c.userIds]);
    }
    if (c.deviceIds.length) {
      await m.query(`INSERT INTO directory_group_devices (group_id, device_id, tenant_id) SELECT $1, d, $2 FROM unnest($3::uuid[]) AS d ON CONFLICT DO NOTHING`, [c.groupId, c.tenantId, c.deviceIds]);
    }
  }

  async membersRemoved(m: EntityManager, c: GroupMembersChangedData): Promise<void> {
    if (c.userIds.length) {
      await m.query(`DELETE FROM directory_group_users WHERE group_id = $1 AND tenant_id = $2 AND user_id = ANY($3::uuid[])`, [c.groupId, c.tenantId, c.userIds]);
    }
    if (c.deviceIds.length) {
      await m.query(`DELETE FROM directory_group_devices WHERE group_id = $1 AND tenant_id = $2 AND device_id = ANY($3::uuid[])`, [c.groupId, c.tenantId, c.deviceIds]);
    }
  }

  /**
   * What `rh tenant create` makes, applied at once (the CLI), by the same code as the events:
   * tenant.created, tenant.settings.updated, user.upserted, group.created and the admin's
   * membership (group.members.added). The events arrive later and change nothing.
   */
  async bootstrapTenant(m: EntityManager, b: { tenant: TenantCreatedData; settings: SettingsSnapshot; adminUser: UserSnapshot; group: GroupCreatedData; members?: GroupMembersChangedData }): Promise<void> {
    await this.tenantCreated(m, b.tenant);
    await this.settingsUpdated(m, b.settings);
    await this.userUpserted(m, b.adminUser);
    await this.groupCreated(m, b.group);
    await this.membersAdded(m, b.members ?? { groupId: b.group.id, tenantId: b.tenant.tenantId, userIds: [b.tenant.adminUserId], deviceIds: [] });
  }
}
