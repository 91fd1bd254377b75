import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Just-in-time approval on role assignments: the permissions that need an approver and the
 * approver groups. An assignment that gates a permission names at least one approver group.
 */
export class AssignmentApprovals1765100000000 implements MigrationInterface {
  name = 'AssignmentApprovals1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE role_assignments
        ADD COLUMN approval_required_for text[] NOT NULL DEFAULT '{}',
        ADD COLUMN approver_group_ids uuid[] NOT NULL DEFAULT '{}',
        ADD CONSTRAINT role_assignments_approvers CHECK (cardinality(approval_required_for) = 0 OR cardinality(approver_group_ids) > 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE role_assignments
        DROP CONSTRAINT role_assignments_approvers,
        DROP COLUMN approver_group_ids,
        DROP COLUMN approval_required_for`);
  }
}
