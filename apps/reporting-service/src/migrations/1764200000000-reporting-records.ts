import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reports: one record per session, the audit log, daily totals and the active count per
 * tenant (kept current from the session events), the names of users (from tenant-service's
 * events) and the events set aside as invalid. Replaces `active_sessions`: the active count is
 * now one row per tenant, changed in the transaction that applies a session event.
 *
 * Every report query filters by tenant first, so every index starts with `tenant_id`; the list
 * indexes end with (time, id), the order of keyset paging, so that a page is an index range
 * scan whatever the tenant's size. The retention job deletes by time across tenants, hence the
 * plain time indexes.
 */
export class ReportingRecords1764200000000 implements MigrationInterface {
  name = 'ReportingRecords1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS active_sessions`);

    await q.query(`
      CREATE TABLE session_records (
        session_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        helper_id uuid NOT NULL,
        sharer_id uuid,
        device_id uuid NOT NULL,
        device_enrolled boolean NOT NULL,
        platform text NOT NULL,
        session_type text NOT NULL,
        control_mode text NOT NULL,
        state text NOT NULL,
        elevation_used boolean NOT NULL,
        chat_enabled boolean NOT NULL,
        chat_used boolean NOT NULL,
        reason text,
        requested_at timestamptz NOT NULL,
        started_at timestamptz,
        ended_at timestamptz,
        duration_seconds integer,
        end_reason text,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // remoteHelpSessions: newest first, optionally in a time range; one index per filter. The
    // time index also covers the type and duration, so that the monitor counts the partial days
    // at either end of its range with an index-only scan.
    await q.query(`CREATE INDEX session_records_tenant_time ON session_records (tenant_id, requested_at DESC, session_id DESC) INCLUDE (session_type, duration_seconds)`);
    await q.query(`CREATE INDEX session_records_tenant_helper ON session_records (tenant_id, helper_id, requested_at DESC, session_id DESC)`);
    await q.query(`CREATE INDEX session_records_tenant_sharer ON session_records (tenant_id, sharer_id, requested_at DESC, session_id DESC) WHERE sharer_id IS NOT NULL`);
    await q.query(`CREATE INDEX session_records_tenant_device ON session_records (tenant_id, device_id, requested_at DESC, session_id DESC)`);
    await q.query(`CREATE INDEX session_records_tenant_type ON session_records (tenant_id, session_type, requested_at DESC, session_id DESC)`);
    // retention (all tenants)
    await q.query(`CREATE INDEX session_records_requested_at ON session_records (requested_at)`);

    // remoteHelpMonitor: sessions per tenant, UTC day and session type (day = requested_at's UTC date).
    await q.query(`
      CREATE TABLE session_daily_stats (
        tenant_id uuid NOT NULL,
        day date NOT NULL,
        session_type text NOT NULL,
        sessions integer NOT NULL,
        sessions_with_duration integer NOT NULL,
        total_duration_seconds bigint NOT NULL,
        PRIMARY KEY (tenant_id, day, session_type)
      )`);

    // Tenant.activeSessionCount and the count pushed to dashboards: the number of ACTIVE records.
    await q.query(`
      CREATE TABLE active_session_counts (
        tenant_id uuid PRIMARY KEY,
        active_sessions integer NOT NULL,
        changed_at timestamptz NOT NULL
      )`);

    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        occurred_at timestamptz NOT NULL,
        source text NOT NULL,
        category text NOT NULL,
        activity text NOT NULL,
        actor_id text,
        actor_kind text NOT NULL,
        target_id text,
        result text NOT NULL,
        details text
      )`);
    await q.query(`CREATE INDEX audit_events_tenant_time ON audit_events (tenant_id, occurred_at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_events_tenant_category_time ON audit_events (tenant_id, category, occurred_at DESC, id DESC)`);
    await q.query(`CREATE INDEX audit_events_occurred_at ON audit_events (occurred_at)`);

    // Display names of users (recipientDisplay), from user.upserted / license.assigned.
    await q.query(`
      CREATE TABLE directory_users (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        user_principal_name text NOT NULL,
        display_name text NOT NULL,
        version integer NOT NULL
      )`);

    // Well-formed events whose data this service cannot use, with the reason.
    await q.query(`
      CREATE TABLE rejected_events (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        topic text NOT NULL,
        event_type text NOT NULL,
        tenant_id text NOT NULL,
        reason text NOT NULL,
        payload jsonb NOT NULL,
        rejected_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
    await q.query(`CREATE INDEX rejected_events_rejected_at ON rejected_events (rejected_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['rejected_events', 'directory_users', 'audit_events', 'active_session_counts', 'session_daily_stats', 'session_records']) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query(`CREATE TABLE active_sessions (session_id uuid PRIMARY KEY, tenant_id uuid NOT NULL, started_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX active_sessions_tenant ON active_sessions (tenant_id)`);
  }
}
