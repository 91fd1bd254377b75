import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The copy of the tenant's settings keeps whether session requests must give a reason. */
export class RequiredReason1765200000000 implements MigrationInterface {
  name = 'RequiredReason1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE directory_tenants ADD COLUMN require_reason boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE directory_tenants DROP COLUMN require_reason`);
  }
}
