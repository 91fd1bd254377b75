import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialReporting1764000000000 implements MigrationInterface {
  name = 'InitialReporting1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE active_sessions (
        session_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        started_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX active_sessions_tenant ON active_sessions (tenant_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE active_sessions`);
  }
}
