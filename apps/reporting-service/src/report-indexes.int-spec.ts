// The report queries keep to their indexes with a million session records and a million audit
// events in one tenant (beside 50 smaller tenants): each query the services send is run under
// EXPLAIN ANALYZE (the very SQL and parameters, captured from the services) and must use an
// index, never a sequential scan of a big table. Their times and plans are written to
// .data/test-results/reporting-explain-plans.txt; how fast they are is `npm run bench -- reporting`'s
// to judge. RH_EXPLAIN_ROWS changes the size.
import { Logger } from '@nestjs/common';
import { SessionMode } from '@remote-help/domain';
import { dropDatabase, openServiceDataSource } from '@remote-help/service-kit';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { AuditLogService } from './audit/audit-log.service';
import { Clock } from './common/clock';
import { encodeCursor } from './common/page';
import { ENTITIES, MIGRATIONS } from './data-source';
import { MonitorService } from './monitor/monitor.service';
import { RETENTION_STATEMENTS } from './retention/retention.service';
import { SessionStatsReader } from './monitor/session-stats.reader';
import { SessionRecordService } from './session-record/session-record.service';

Logger.overrideLogger(['error']);
const URL = `postgres://postgres@127.0.0.1:5432/rh_reporting_explain_${randomBytes(4).toString('hex')}`;
const ROWS = Number(process.env.RH_EXPLAIN_ROWS ?? 1_000_000);
const OUT = path.resolve(__dirname, '../../../.data/test-results/reporting-explain-plans.txt');
const T = '11111111-1111-4111-8111-111111111111';
const uid = (prefix: string, i: string) => `('${prefix}-0000-4000-8000-' || lpad(to_hex(${i}), 12, '0'))::uuid`;
jest.setTimeout(600_000);

let ds: DataSource;
const plans: string[] = [];

interface Captured {
  sql: string;
  params: unknown[];
}

/** A DataSource stand-in that records every statement the services send, then runs it. */
function capturing(real: DataSource) {
  const seen: Captured[] = [];
  const proxy = { query: (sql: string, params: unknown[] = []) => (seen.push({ sql, params }), real.query(sql, params)) } as unknown as DataSource;
  return { proxy, take: () => seen.splice(0) };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(n: PlanNode): PlanNode[] {
  return [n, ...(n.Plans ?? []).flatMap(nodes)];
}

const BIG_TABLES = ['session_records', 'audit_events', 'session_daily_stats'];

/**
 * EXPLAIN ANALYZE of each captured statement: no Seq Scan of a table that grows with the tenant;
 * the time and the plan are kept for the log. How fast the queries are is the benchmark's to
 * judge (`npm run bench -- reporting`), not a test's: a slow or busy machine must not fail it.
 */
async function explain(name: string, statements: Captured[], db: { query(sql: string, params?: unknown[]): Promise<any> } = ds) {
  expect(statements.length).toBeGreaterThan(0);
  for (const [i, s] of statements.entries()) {
    const [
      {
        'QUERY PLAN': [json],
      },
    ] = await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${s.sql}`, s.params);
    const all = nodes(json.Plan as PlanNode);
    // Small tables (names, counts) may be read whole when that is cheaper; the big ones never.
    const seqScans = all.filter((n) => n['Node Type'] === 'Seq Scan' && BIG_TABLES.includes(n['Relation Name'] ?? '')).map((n) => n['Relation Name']);
    const indexes = [...new Set(all.map((n) => n['Index Name']).filter(Boolean))];
    const text: { 'QUERY PLAN': string }[] = await db.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${s.sql}`, s.params);
    plans.push(`### ${name}${statements.length > 1 ? ` (statement ${i + 1})` : ''}\n${s.sql.replace(/\s+/g, ' ').trim()}\n-- params: ${JSON.stringify(s.params)}\n${text.map((r) => r['QUERY PLAN']).join('\n')}\n`);
    process.stderr.write(`${name}: ${json['Execution Time'].toFixed(2)} ms, indexes ${indexes.join(', ') || '-'}\n`);
    expect({ name, seqScans }).toEqual({ name, seqScans: [] });
  }
}

beforeAll(async () => {
  ds = await openServiceDataSource({ url: URL, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 2 });
  const now = `date_trunc('milliseconds', now())`;
  const span = 30 * 86400; // seconds: one month of sessions
  // One big tenant: ROWS sessions over 30 days, 200 helpers, 5,000 sharers (10% none), 20,000 devices.
  await ds.query(`
    INSERT INTO session_records (session_id, tenant_id, helper_id, sharer_id, device_id, device_enrolled, platform, session_type, control_mode, state,
      elevation_used, chat_enabled, chat_used, reason, requested_at, started_at, ended_at, duration_seconds, end_reason, version)
    SELECT gen_random_uuid(), '${T}', ${uid('aaaaaaaa', '1 + i % 200')},
      CASE WHEN i % 10 = 0 THEN NULL ELSE ${uid('bbbbbbbb', '1 + i % 5000')} END, ${uid('cccccccc', '1 + i % 20000')},
      i % 17 <> 0, 'WINDOWS', (ARRAY['VIEW_ONLY','FULL_CONTROL','UNATTENDED'])[1 + i % 3], 'VIEW_ONLY',
      CASE WHEN i < 40 THEN 'ACTIVE' ELSE 'ENDED' END, i % 11 = 0, true, i % 4 = 0, 'INC-' || i,
      r, r + interval '20 seconds', CASE WHEN i < 40 THEN NULL ELSE r + interval '20 seconds' + (i % 3600) * interval '1 second' END,
      CASE WHEN i < 40 THEN NULL ELSE i % 3600 END, CASE WHEN i < 40 THEN NULL ELSE 'HELPER_ENDED' END, 4
    FROM generate_series(1, ${ROWS}) i, LATERAL (SELECT ${now} - (i * ${span / ROWS}) * interval '1 second' AS r) t`);
  // 50 other tenants, 2,000 sessions each.
  await ds.query(`
    INSERT INTO session_records (session_id, tenant_id, helper_id, sharer_id, device_id, device_enrolled, platform, session_type, control_mode, state,
      elevation_used, chat_enabled, chat_used, requested_at, version)
    SELECT gen_random_uuid(), ${uid('dddddddd', 'i % 50')}, gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), true, 'WINDOWS', 'VIEW_ONLY', 'VIEW_ONLY', 'ENDED',
      false, true, false, ${now} - i * interval '26 seconds', 1
    FROM generate_series(1, 100000) i`);
  // The daily totals and active counts the consumer would have kept.
  await ds.query(`
    INSERT INTO session_daily_stats (tenant_id, day, session_type, sessions, sessions_with_duration, total_duration_seconds)
    SELECT tenant_id, (requested_at AT TIME ZONE 'UTC')::date, session_type, count(*), count(duration_seconds), coalesce(sum(duration_seconds), 0)
    FROM session_records GROUP BY 1, 2, 3`);
  await ds.query(`INSERT INTO active_session_counts (tenant_id, active_sessions, changed_at) SELECT tenant_id, count(*), now() FROM session_records WHERE state = 'ACTIVE' GROUP BY 1`);
  await ds.query(
    `INSERT INTO directory_users (id, tenant_id, user_principal_name, display_name, version) SELECT ${uid('bbbbbbbb', 'i')}, '${T}', 'u' || i || '@contoso.com', 'User ' || i, 1 FROM generate_series(1, 5000) i`,
  );
  // The audit log: ROWS events in the big tenant, 100,000 in the others.
  await ds.query(`
    INSERT INTO audit_events (id, tenant_id, occurred_at, source, category, activity, actor_id, actor_kind, target_id, result, details)
    SELECT gen_random_uuid(), '${T}', ${now} - (i * ${span / ROWS}) * interval '1 second', 'session-service',
      (ARRAY['RemoteHelp','RemoteHelp','RemoteHelp','Role','Settings','Directory'])[1 + i % 6], 'activity ' || (i % 20), ${uid('aaaaaaaa', '1 + i % 200')}::text, 'user', gen_random_uuid()::text,
      CASE WHEN i % 9 = 0 THEN 'Failure' ELSE 'Success' END, NULL
    FROM generate_series(1, ${ROWS}) i`);
  await ds.query(`
    INSERT INTO audit_events (id, tenant_id, occurred_at, source, category, activity, actor_id, actor_kind, target_id, result)
    SELECT gen_random_uuid(), ${uid('dddddddd', 'i % 50')}, ${now} - i * interval '26 seconds', 's', 'Role', 'x', NULL, 'system', NULL, 'Success' FROM generate_series(1, 100000) i`);
  await ds.query('VACUUM ANALYZE');
});

afterAll(async () => {
  if (plans.length) {
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(
      OUT,
      `# EXPLAIN ANALYZE of the reporting queries: ${ROWS} session records and ${ROWS} audit events in one tenant (+100,000 of each in 50 others), PostgreSQL ${(await ds.query('SHOW server_version'))[0].server_version}\n\n${plans.join('\n')}`,
    );
    process.stderr.write(`plans written to ${OUT}\n`);
  }
  await ds?.destroy();
  await dropDatabase(URL);
});

describe(`report queries over ${ROWS} records in one tenant`, () => {
  const day = 86_400_000;

  it('remoteHelpSessions: first page, a deep page and every filter are index range scans', async () => {
    const { proxy, take } = capturing(ds);
    const service = new SessionRecordService(proxy, new SessionStatsReader(proxy));
    const first = await service.page(T, null, 50, null);
    expect(first.edges).toHaveLength(50);
    await explain('sessions: first page', take());

    // a page deep in the list (two weeks back)
    const deep = await ds.query(`SELECT requested_at, session_id FROM session_records WHERE tenant_id = $1 AND requested_at < now() - interval '14 days' ORDER BY requested_at DESC LIMIT 1`, [T]);
    await service.page(T, null, 500, encodeCursor('sessions', deep[0].requested_at, deep[0].session_id));
    await explain('sessions: a page of 500 two weeks back (cursor)', take());

    const from = new Date(Date.now() - 20 * day);
    const to = new Date(Date.now() - 10 * day);
    await service.page(T, { from, to }, 50, null);
    await explain('sessions: time range', take());
    await service.page(T, { providerId: 'aaaaaaaa-0000-4000-8000-000000000007' }, 50, null);
    await explain('sessions: by provider', take());
    await service.page(T, { recipientId: 'bbbbbbbb-0000-4000-8000-000000000007', from }, 50, null);
    await explain('sessions: by recipient since a date', take());
    await service.page(T, { deviceId: 'cccccccc-0000-4000-8000-000000000007' }, 50, null);
    await explain('sessions: by device', take());
    await service.page(T, { sessionType: SessionMode.UNATTENDED, from, to }, 50, null);
    await explain('sessions: by type in a time range', take());
  });

  it('totalCount: from the daily totals, or from the filter index', async () => {
    const { proxy, take } = capturing(ds);
    const service = new SessionRecordService(proxy, new SessionStatsReader(proxy));
    const all = await service.page(T, null, 0, null);
    take();
    expect(await all.countTotal()).toBe(ROWS);
    await explain('totalCount: whole tenant', take());
    const ranged = await service.page(T, { from: new Date(Date.now() - 20.5 * day), to: new Date(Date.now() - 3.2 * day), sessionType: SessionMode.FULL_CONTROL }, 0, null);
    take();
    await ranged.countTotal();
    await explain('totalCount: type in a range with partial days', take());
    const byProvider = await service.page(T, { providerId: 'aaaaaaaa-0000-4000-8000-000000000007' }, 0, null);
    take();
    expect(await byProvider.countTotal()).toBe(ROWS / 200);
    await explain('totalCount: by provider', take());
  });

  it('remoteHelpMonitor over the default 30 days, and the active count', async () => {
    const { proxy, take } = capturing(ds);
    const stats = new SessionStatsReader(proxy);
    const monitor = new MonitorService(stats, new Clock(), { retentionDays: 30, sweepIntervalMs: 1 });
    const m = await monitor.monitor(T, null, null);
    expect(m.activeSessions).toBe(39);
    expect(m.totalSessions).toBeGreaterThan(ROWS * 0.99);
    await explain('monitor: 30 days (daily totals + partial days)', take());
  });

  it('auditEvents: first page, a deep page, by category, by time', async () => {
    const { proxy, take } = capturing(ds);
    const service = new AuditLogService(proxy);
    await service.page(T, { first: 50 });
    await explain('audit: first page', take());
    const deep = await ds.query(`SELECT occurred_at, id FROM audit_events WHERE tenant_id = $1 AND occurred_at < now() - interval '14 days' ORDER BY occurred_at DESC LIMIT 1`, [T]);
    await service.page(T, { first: 500, after: encodeCursor('audit', deep[0].occurred_at, deep[0].id) });
    await explain('audit: a page of 500 two weeks back (cursor)', take());
    await service.page(T, { category: 'Settings', first: 50 });
    await explain('audit: by category', take());
    await service.page(T, { category: 'Role', from: new Date(Date.now() - 20 * day), to: new Date(Date.now() - 19 * day), first: 50 });
    await explain('audit: by category in a time range', take());
  });

  it('retention finds what to delete by time, across tenants, from an index', async () => {
    // The very statements a sweep sends (they delete: run, under EXPLAIN ANALYZE, in a
    // transaction that is rolled back, so the data stays as the other cases expect it).
    const cutoff = new Date(Date.now() - 29 * day);
    const tx = ds.createQueryRunner();
    await tx.startTransaction();
    try {
      await explain('retention: a batch of old session records', [{ sql: RETENTION_STATEMENTS.sessionRecords, params: [cutoff] }], tx);
      await explain('retention: a batch of old audit events', [{ sql: RETENTION_STATEMENTS.auditEvents, params: [cutoff] }], tx);
    } finally {
      await tx.rollbackTransaction();
      await tx.release();
    }
  });
});
