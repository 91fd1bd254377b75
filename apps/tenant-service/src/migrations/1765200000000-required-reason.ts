import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A tenant setting: session requests must give a reason (a ticket id). Off by default. */
export class RequiredReason1765200000000 implements MigrationInterface {
  name = 'RequiredReason1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE remote_help_settings ADD COLUMN require_reason boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE remote_help_settings DROP COLUMN require_reason`);
  }
}
