import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialDirectory1764000000000 implements MigrationInterface {
  name = 'InitialDirectory1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY,
        display_name text NOT NULL,
        verified_domains text[] NOT NULL DEFAULT '{}',
        cloud text NOT NULL CHECK (cloud IN ('COMMERCIAL','GCC','GCC_HIGH','DOD')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE remote_help_settings (
        tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
        remote_help_enabled boolean NOT NULL DEFAULT false,
        allow_unenrolled_devices boolean NOT NULL DEFAULT false,
        chat_disabled boolean NOT NULL DEFAULT false,
        updated_at timestamptz,
        updated_by uuid
      )`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        user_principal_name text NOT NULL,
        given_name text,
        surname text,
        display_name text NOT NULL,
        job_title text,
        company_name text,
        profile_picture_url text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_tenant_upn ON users (tenant_id, lower(user_principal_name))`);
    await q.query(`
      CREATE TABLE devices (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        display_name text NOT NULL,
        platform text NOT NULL,
        os_version text NOT NULL,
        manufacturer text,
        enrolled boolean NOT NULL,
        entra_registered boolean NOT NULL,
        compliance text NOT NULL,
        primary_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX devices_tenant ON devices (tenant_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE devices`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE remote_help_settings`);
    await q.query(`DROP TABLE tenants`);
  }
}
