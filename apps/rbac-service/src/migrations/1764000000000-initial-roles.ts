import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialRoles1764000000000 implements MigrationInterface {
  name = 'InitialRoles1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE roles (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        built_in_key text,
        display_name text NOT NULL,
        description text,
        permissions text[] NOT NULL DEFAULT '{}',
        admin_permissions text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX roles_tenant_name ON roles (tenant_id, lower(display_name))`);
    await q.query(`CREATE UNIQUE INDEX roles_tenant_built_in ON roles (tenant_id, built_in_key) WHERE built_in_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE roles`);
  }
}
