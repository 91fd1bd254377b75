import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The session lifecycle (issue 4): what the sessions table needs for the state machine, the
 * security code (hash only), the timers (one `due_at` deadline per live session, so that they
 * survive restarts and any instance's sweeper can take them with FOR UPDATE SKIP LOCKED), the
 * heartbeats; the local copy of each tenant's chat setting; the wrong-code counter of joinSession.
 */
export class SessionLifecycle1764200000000 implements MigrationInterface {
  name = 'SessionLifecycle1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE sessions
        ADD COLUMN requested_mode text,
        ADD COLUMN platform text NOT NULL DEFAULT 'OTHER',
        ADD COLUMN device_enrolled boolean NOT NULL DEFAULT true,
        ADD COLUMN device_compliance text NOT NULL DEFAULT 'UNKNOWN',
        ADD COLUMN pending_control_request text,
        ADD COLUMN chat_used boolean NOT NULL DEFAULT false,
        ADD COLUMN code_hash text,
        ADD COLUMN code_expires_at timestamptz,
        ADD COLUMN due_at timestamptz,
        ADD COLUMN helper_seen_at timestamptz,
        ADD COLUMN sharer_seen_at timestamptz`);
    await q.query(`UPDATE sessions SET requested_mode = mode WHERE requested_mode IS NULL`);
    await q.query(`ALTER TABLE sessions ALTER COLUMN requested_mode SET NOT NULL`);
    await q.query(`
      ALTER TABLE sessions
        ADD CONSTRAINT sessions_state_check CHECK (state IN ('WAITING_FOR_SHARER', 'PENDING_CONSENT', 'ACTIVE', 'DECLINED', 'EXPIRED', 'ENDED')),
        ADD CONSTRAINT sessions_mode_check CHECK (mode IN ('VIEW_ONLY', 'FULL_CONTROL', 'UNATTENDED') AND requested_mode IN ('VIEW_ONLY', 'FULL_CONTROL', 'UNATTENDED')),
        ADD CONSTRAINT sessions_reason_length CHECK (reason IS NULL OR char_length(reason) <= 500),
        ADD CONSTRAINT sessions_final_has_no_timer CHECK (state NOT IN ('DECLINED', 'EXPIRED', 'ENDED') OR (due_at IS NULL AND code_hash IS NULL))`);
    // A code is unique among the codes that can still be used (the hash is cleared when the session leaves WAITING_FOR_SHARER).
    await q.query(`CREATE UNIQUE INDEX sessions_live_code ON sessions (code_hash) WHERE code_hash IS NOT NULL`);
    // The sweeper's queue: live sessions by their next deadline.
    await q.query(`CREATE INDEX sessions_due ON sessions (due_at) WHERE due_at IS NOT NULL`);
    await q.query(`CREATE INDEX sessions_tenant_active ON sessions (tenant_id, started_at DESC) WHERE state = 'ACTIVE'`);
    await q.query(`CREATE INDEX sessions_tenant_device ON sessions (tenant_id, device_id, requested_at DESC)`);

    // The chat setting of each tenant, copied from tenant-service's tenant.settings.updated snapshots.
    await q.query(`
      CREATE TABLE tenant_settings (
        tenant_id uuid PRIMARY KEY,
        chat_disabled boolean NOT NULL,
        version int NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Wrong security codes per caller, kept in the database so the limit holds across instances.
    await q.query(`
      CREATE TABLE join_failures (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        user_id uuid NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX join_failures_user ON join_failures (user_id, failed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE join_failures`);
    await q.query(`DROP TABLE tenant_settings`);
    await q.query(`DROP INDEX sessions_tenant_device`);
    await q.query(`DROP INDEX sessions_tenant_active`);
    await q.query(`DROP INDEX sessions_due`);
    await q.query(`DROP INDEX sessions_live_code`);
    await q.query(`
      ALTER TABLE sessions
        DROP CONSTRAINT sessions_final_has_no_timer,
        DROP CONSTRAINT sessions_reason_length,
        DROP CONSTRAINT sessions_mode_check,
        DROP CONSTRAINT sessions_state_check,
        DROP COLUMN sharer_seen_at, DROP COLUMN helper_seen_at, DROP COLUMN due_at, DROP COLUMN code_expires_at,
        DROP COLUMN code_hash, DROP COLUMN chat_used, DROP COLUMN pending_control_request, DROP COLUMN device_compliance,
        DROP COLUMN device_enrolled, DROP COLUMN platform, DROP COLUMN requested_mode`);
  }
}
