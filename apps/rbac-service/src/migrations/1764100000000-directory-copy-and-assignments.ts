import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * rbac-service's local copy of the directory and settings (kept current from tenant-service's
 * events, never written by anything else) and the role assignments. The indexes serve the access
 * decision (one round trip: the helper's, the device's and the target user's groups by member id,
 * and the tenant's assignments whose admin groups the helper is in).
 */
export class DirectoryCopyAndAssignments1764100000000 implements MigrationInterface {
  name = 'DirectoryCopyAndAssignments1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE directory_tenants (
        id uuid PRIMARY KEY,
        display_name text,
        cloud text NOT NULL,
        remote_help_enabled boolean NOT NULL DEFAULT false,
        allow_unenrolled_devices boolean NOT NULL DEFAULT false,
        chat_disabled boolean NOT NULL DEFAULT false,
        settings_updated_at timestamptz,
        settings_updated_by uuid,
        settings_version integer NOT NULL DEFAULT 0,
        admin_user_id uuid,
        admin_group_id uuid
      )`);
    await q.query(`
      CREATE TABLE directory_users (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        user_principal_name text NOT NULL,
        display_name text NOT NULL,
        licenses jsonb NOT NULL DEFAULT '[]',
        version integer NOT NULL
      )`);
    await q.query(`CREATE INDEX directory_users_tenant ON directory_users (tenant_id)`);
    await q.query(`
      CREATE TABLE directory_devices (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        display_name text NOT NULL,
        platform text NOT NULL,
        os_version text NOT NULL,
        manufacturer text,
        enrolled boolean NOT NULL,
        entra_registered boolean NOT NULL,
        compliance text NOT NULL,
        primary_user_id uuid,
        version integer NOT NULL
      )`);
    await q.query(`CREATE INDEX directory_devices_tenant ON directory_devices (tenant_id)`);
    await q.query(`
      CREATE TABLE directory_groups (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        display_name text NOT NULL,
        member_kind text NOT NULL
      )`);
    await q.query(`CREATE INDEX directory_groups_tenant ON directory_groups (tenant_id)`);
    // Memberships may arrive before the member's own snapshot (other Kafka key): no foreign keys.
    await q.query(`
      CREATE TABLE directory_group_users (
        group_id uuid NOT NULL,
        user_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        PRIMARY KEY (group_id, user_id)
      )`);
    await q.query(`CREATE INDEX directory_group_users_member ON directory_group_users (user_id, tenant_id, group_id)`);
    await q.query(`
      CREATE TABLE directory_group_devices (
        group_id uuid NOT NULL,
        device_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        PRIMARY KEY (group_id, device_id)
      )`);
    await q.query(`CREATE INDEX directory_group_devices_member ON directory_group_devices (device_id, tenant_id, group_id)`);

    await q.query(`
      CREATE TABLE role_assignments (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        role_id uuid NOT NULL REFERENCES roles (id),
        built_in_key text,
        display_name text NOT NULL,
        description text,
        admin_group_ids uuid[] NOT NULL,
        scope_group_ids uuid[] NOT NULL DEFAULT '{}',
        scope_all_users boolean NOT NULL DEFAULT false,
        scope_all_devices boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT role_assignments_admin_groups CHECK (cardinality(admin_group_ids) > 0)
      )`);
    await q.query(`CREATE INDEX role_assignments_tenant ON role_assignments (tenant_id, created_at)`);
    await q.query(`CREATE INDEX role_assignments_role ON role_assignments (role_id)`);
    await q.query(`CREATE INDEX role_assignments_admin_groups ON role_assignments USING gin (admin_group_ids)`);
    await q.query(`CREATE UNIQUE INDEX role_assignments_tenant_built_in ON role_assignments (tenant_id, built_in_key) WHERE built_in_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE role_assignments`);
    await q.query(`DROP TABLE directory_group_devices`);
    await q.query(`DROP TABLE directory_group_users`);
    await q.query(`DROP TABLE directory_groups`);
    await q.query(`DROP TABLE directory_devices`);
    await q.query(`DROP TABLE directory_users`);
    await q.query(`DROP TABLE directory_tenants`);
  }
}
