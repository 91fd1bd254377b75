import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSessions1764000000000 implements MigrationInterface {
  name = 'InitialSessions1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        helper_id uuid NOT NULL,
        sharer_id uuid,
        device_id uuid NOT NULL,
        mode text NOT NULL,
        state text NOT NULL,
        elevated boolean NOT NULL DEFAULT false,
        chat_enabled boolean NOT NULL,
        reason text,
        requested_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        ended_at timestamptz,
        end_reason text,
        version int NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX sessions_tenant_helper ON sessions (tenant_id, helper_id, requested_at DESC)`);
    await q.query(`CREATE INDEX sessions_tenant_sharer ON sessions (tenant_id, sharer_id, requested_at DESC) WHERE sharer_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sessions`);
  }
}
