import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The directory of issue 3: snapshot versions (every event of an aggregate carries one, +1 per
 * change), licences, groups and their members. Every table carries `tenant_id`, and every query
 * filters by it.
 */
export class Directory1764100000000 implements MigrationInterface {
  name = 'Directory1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE remote_help_settings ADD COLUMN version integer NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE users ADD COLUMN version integer NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE devices ADD COLUMN version integer NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE devices ADD CONSTRAINT devices_platform CHECK (platform IN ('WINDOWS','WINDOWS_ARM64','WINDOWS_365','ANDROID_DEDICATED','MACOS','OTHER'))`);
    await q.query(`ALTER TABLE devices ADD CONSTRAINT devices_compliance CHECK (compliance IN ('COMPLIANT','NONCOMPLIANT','UNKNOWN'))`);
    await q.query(`CREATE INDEX users_tenant_display_name ON users (tenant_id, lower(display_name), id)`);
    await q.query(`CREATE INDEX devices_tenant_display_name ON devices (tenant_id, lower(display_name), id)`);
    await q.query(`CREATE INDEX devices_primary_user ON devices (primary_user_id) WHERE primary_user_id IS NOT NULL`);

    // One row per user and kind: assigning a kind again replaces its dates.
    await q.query(`
      CREATE TABLE licenses (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('REMOTE_HELP_ADDON','INTUNE_SUITE')),
        active_from timestamptz NOT NULL,
        expires_at timestamptz CHECK (expires_at IS NULL OR expires_at > active_from),
        assigned_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, kind)
      )`);
    await q.query(`CREATE INDEX licenses_tenant ON licenses (tenant_id)`);

    await q.query(`
      CREATE TABLE directory_groups (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        display_name text NOT NULL,
        member_kind text NOT NULL CHECK (member_kind IN ('USERS','DEVICES','MIXED')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX directory_groups_tenant_name ON directory_groups (tenant_id, lower(display_name))`);
    await q.query(`
      CREATE TABLE group_users (
        group_id uuid NOT NULL REFERENCES directory_groups(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, user_id)
      )`);
    await q.query(`CREATE INDEX group_users_user ON group_users (user_id)`);
    await q.query(`
      CREATE TABLE group_devices (
        group_id uuid NOT NULL REFERENCES directory_groups(id) ON DELETE CASCADE,
        device_id uuid NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, device_id)
      )`);
    await q.query(`CREATE INDEX group_devices_device ON group_devices (device_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE group_devices`);
    await q.query(`DROP TABLE group_users`);
    await q.query(`DROP TABLE directory_groups`);
    await q.query(`DROP TABLE licenses`);
    await q.query(`DROP INDEX devices_primary_user`);
    await q.query(`DROP INDEX devices_tenant_display_name`);
    await q.query(`DROP INDEX users_tenant_display_name`);
    await q.query(`ALTER TABLE devices DROP CONSTRAINT devices_compliance`);
    await q.query(`ALTER TABLE devices DROP CONSTRAINT devices_platform`);
    await q.query(`ALTER TABLE devices DROP COLUMN version`);
    await q.query(`ALTER TABLE users DROP COLUMN version`);
    await q.query(`ALTER TABLE remote_help_settings DROP COLUMN version`);
  }
}
