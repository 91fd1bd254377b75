// Scenario 6: reporting ingest and queries. (1) Ingest: 100,000 session lifecycle events
// (25,000 attended sessions x requested/joined/started/ended) are put on the session topic by a
// separate process (bench/workers/reporting-produce.mjs) while reporting-service consumes them;
// events/s = events / (time from the first event sent to the moment reporting's database holds
// every session at its last version). Then checks that nothing was lost or counted twice, and
// re-publishes a slice of the events: once the consumer group has caught up, nothing changed.
// Each event carries the audit line of its transition, as session-service's do: reporting
// writes those to its audit log with the records.
// (2) Queries: the ingest tenant and two more are each topped up to 1,000,000 session records
// with SQL (as the consumer would have written them, daily totals included), VACUUM ANALYZEd,
// and remoteHelpSessions (a helper's sessions since some day of the last month, a first page
// of 20 or 50, with totalCount) and remoteHelpMonitor (a window of 7 to 29 days) are loaded
// through the gateway by distinct callers: 100 report readers per tenant, each request the next
// caller's with variables of its own (helper, dates, page size), so that the gateway's sharing
// of identical fetches in flight and its per-caller caches cannot answer many with one fetch.
// p50/p95/p99, median of the repeats; these decide the targets. Beside them, labelled: the same
// queries byte-identical on every connection with the tenant administrator's one token.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { median, runLoad, writeVariants } from '../lib/load.mjs';
import { prng } from '../lib/prng.mjs';
import { reportReaders } from '../lib/report-readers.mjs';
import { cpuSeconds, cpuUsedSince } from '../lib/process-stats.mjs';
import kafkajs from '../../scripts/lib/kafkajs.mjs';

const require = createRequire(import.meta.url);
const { Kafka, logLevel } = kafkajs;
const pg = require('pg');
const here = path.dirname(fileURLToPath(import.meta.url));

const CONSUMER_GROUP = 'reporting-service.sessions'; // EventPipeline: `<prefix><service>.<consumer>`
const SESSION_TOPIC = 'remote-help.session.v1';
const HELPERS = 200;
const helperId = (i) => `aaaaaaaa-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

export const SESSIONS_QUERY = `query Sessions($filter: SessionRecordFilter, $first: Int) {
  remoteHelpSessions(filter: $filter, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { sessionId provider { id } recipientDisplay sessionType elevationUsed chatUsed startedAt endedAt durationSeconds outcome reason } }
  }
}`;

export const MONITOR_QUERY = `query Monitor($from: DateTime, $to: DateTime) {
  remoteHelpMonitor(from: $from, to: $to) {
    activeSessions totalSessions averageDurationSeconds
    sessionsByType { sessionType count }
    daily { date sessions totalDurationSeconds }
  }
}`;

export default {
  name: 'reporting',
  description: 'session events applied per second by reporting-service, then remoteHelpSessions / remoteHelpMonitor p95 over 1,000,000 records per tenant, distinct callers in three tenants',
  async run(ctx) {
    const { quick } = ctx;
    const sessions = quick ? 250 : 25_000;
    const records = quick ? 10_000 : 1_000_000;
    const connections = 10;
    const durationSeconds = quick ? 1 : 10;
    const repeats = quick ? 1 : 3;
    const tenantCount = quick ? 2 : 3;
    const readersPerTenant = quick ? 2 : 100;
    const variantsPerReader = 4;
    const brokers = [ctx.run.kafka.brokers].flat().flatMap((b) => String(b).split(','));
    const t = await ctx.newTenant();
    const db = new pg.Client({ connectionString: ctx.run.databases['reporting-service'] });
    await db.connect();
    let stopped = false;
    const one = async (sql, params = []) => (await db.query(sql, params)).rows[0];
    try {
      // ---------------------------------------------------------------- ingest
      const reportingPid = ctx.run.system.pidOf('reporting-service');
      const dbName = new URL(ctx.run.databases['reporting-service']).pathname.slice(1);
      // CPU seconds by backend pid: the difference is taken per backend (one that exited meanwhile
      // is missed, one born meanwhile counts whole), never a sum that loses the exited ones.
      const backendsCpu = async () => new Map((await db.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [dbName])).rows.map((r) => [r.pid, cpuSeconds(r.pid)]));
      const cpu0 = { service: cpuSeconds(reportingPid), db: await backendsCpu() };
      const sliceFile = path.join(ctx.run.dataDir, `reporting-bench-slice-${t.tenantId}.json`);
      const produced = runWorker({
        brokers,
        topicPrefix: ctx.run.topicPrefix,
        tenantId: t.tenantId,
        sessions,
        helpers: HELPERS,
        window: quick ? 125 : 2500,
        sliceFile,
        sliceEvery: 20,
      });
      const done = waitFor(
        async () => !stopped && (await one(`SELECT count(*)::int AS n FROM session_records WHERE tenant_id = $1 AND version = 4`, [t.tenantId])).n === sessions,
        quick ? 60_000 : 600_000,
        'reporting to apply every event',
      );
      done.catch(() => undefined); // awaited below; not unhandled if the producer fails first
      const sent = await produced.catch((e) => {
        stopped = true;
        throw e;
      });
      const doneAt = await done;
      const events = sent.events;
      const cpu = { service: cpuSeconds(reportingPid) - cpu0.service, db: [...cpuUsedSince(cpu0.db, await backendsCpu()).values()].reduce((a, b) => a + b, 0) };
      const ingestSeconds = (doneAt - sent.firstSendAt) / 1000;
      const ingest = {
        scenario: 'reporting',
        target: 'ingest',
        events,
        sessions,
        eventsPerSecond: Math.round(events / ingestSeconds),
        seconds: round(ingestSeconds),
        producedPerSecond: Math.round(events / ((sent.lastAckAt - sent.firstSendAt) / 1000)),
        lagAfterLastSendSeconds: round((doneAt - sent.lastAckAt) / 1000),
        // CPU used meanwhile by reporting-service and by its database's backends: figures that
        // the other loads on the machine do not inflate (a backend that came and went is missed).
        serviceCpuSeconds: round(cpu.service),
        dbCpuSeconds: round(cpu.db),
        eventsPerCpuSecond: Math.round(events / Math.max(cpu.service + cpu.db, 0.01)),
      };

      // Nothing lost, nothing counted twice: one record per session, daily totals and the active count exact.
      const snapshot = async () => ({
        ...(await one(
          `SELECT count(*)::int AS records, count(*) FILTER (WHERE state = 'ENDED' AND version = 4)::int AS ended, coalesce(sum(duration_seconds), 0)::bigint::text AS seconds FROM session_records WHERE tenant_id = $1`,
          [t.tenantId],
        )),
        ...(await one(
          `SELECT coalesce(sum(sessions), 0)::int AS daily, coalesce(sum(sessions_with_duration), 0)::int AS dailyWithDuration, coalesce(sum(total_duration_seconds), 0)::bigint::text AS dailySeconds FROM session_daily_stats WHERE tenant_id = $1`,
          [t.tenantId],
        )),
        active: (await one(`SELECT coalesce((SELECT active_sessions FROM active_session_counts WHERE tenant_id = $1), 0)::int AS n`, [t.tenantId])).n,
        rejected: (await one(`SELECT count(*)::int AS n FROM rejected_events WHERE tenant_id = $1`, [t.tenantId])).n,
        // the audit line each event carries, once
        audit: (await one(`SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND category = 'RemoteHelp'`, [t.tenantId])).n,
      });
      const after = await snapshot();
      const expected = {
        records: sessions,
        ended: sessions,
        seconds: String(sent.totalDurationSeconds),
        daily: sessions,
        dailywithduration: sessions,
        dailyseconds: String(sent.totalDurationSeconds),
        active: 0,
        rejected: 0,
        audit: sessions * 4,
      };
      const exact = sameFigures(after, expected);
      if (!exact) process.stderr.write(`reporting: after ingest ${JSON.stringify(after)}, expected ${JSON.stringify(expected)}\n`);

      // Re-publish a slice (every 20th event): once the group has consumed it, nothing changes.
      const slice = (await runWorker({ brokers, topicPrefix: ctx.run.topicPrefix, resendFile: sliceFile })).events;
      await waitForGroupCaughtUp(brokers, `${ctx.run.topicPrefix}${CONSUMER_GROUP}`, `${ctx.run.topicPrefix}${SESSION_TOPIC}`, quick ? 60_000 : 300_000);
      const afterResend = await snapshot();
      const duplicatesIgnored = sameFigures(afterResend, expected);
      if (!duplicatesIgnored) process.stderr.write(`reporting: after re-sending ${slice} events ${JSON.stringify(afterResend)}, expected ${JSON.stringify(expected)}\n`);

      // ---------------------------------------------------------------- queries over `records` records per tenant
      const seeded = Date.now();
      await seed(db, t.tenantId, records - sessions, { vacuum: tenantCount === 1 });
      const queryTenants = [t];
      for (let k = 1; k < tenantCount; k++) {
        const other = await ctx.newTenant();
        await seed(db, other.tenantId, records, { vacuum: k === tenantCount - 1 });
        queryTenants.push(other);
      }
      const seedSeconds = round((Date.now() - seeded) / 1000);
      const totals = [];
      for (const qt of queryTenants) totals.push((await one(`SELECT count(*)::int AS n FROM session_records WHERE tenant_id = $1`, [qt.tenantId])).n);
      const now = Date.now();
      const day = 86_400_000;
      const queries = {
        remoteHelpSessions: { query: SESSIONS_QUERY, variables: { filter: { providerId: helperId(7), from: new Date(now - 14 * day).toISOString() }, first: 50 } },
        remoteHelpMonitor: { query: MONITOR_QUERY, variables: { from: new Date(now - 29 * day).toISOString(), to: new Date(now).toISOString() } },
      };
      // Distinct callers: report readers in every tenant, each with variables of its own.
      const readers = [];
      for (const qt of queryTenants) readers.push(...(await reportReaders(ctx, qt, readersPerTenant)));
      const rnd = prng(readers.length);
      const variables = {
        remoteHelpSessions: () => ({ filter: { providerId: helperId(1 + Math.floor(rnd() * HELPERS)), from: new Date(now - (1 + Math.floor(rnd() * 29)) * day).toISOString() }, first: rnd() < 0.5 ? 20 : 50 }),
        remoteHelpMonitor: () => {
          const to = now - Math.floor(rnd() * 24) * 3_600_000;
          return { from: new Date(to - (7 + Math.floor(rnd() * 23)) * day).toISOString(), to: new Date(to).toISOString() };
        },
      };
      const variantsFiles = {};
      for (const [name, body] of Object.entries(queries)) {
        // Interleaved so that consecutive requests are different callers of different tenants.
        const variants = [];
        for (let v = 0; v < variantsPerReader; v++) for (const r of readers) variants.push({ body: { query: body.query, variables: variables[name]() }, token: r.token });
        variantsFiles[name] = writeVariants(path.join(ctx.run.dataDir, `reporting-${name}-callers.json`), variants);
        // Every tenant answers, with a full page and its whole month counted.
        for (const [k, qt] of queryTenants.entries()) {
          const reader = readers.find((r) => r.tenantId === qt.tenantId);
          const r = await ctx.gql(body.query, body.variables, reader.token);
          if (r.errors?.length || !r.data?.[name]) throw new Error(`${name} fails for a report reader: ${JSON.stringify(r.errors ?? r)}`);
          if (name === 'remoteHelpSessions' && r.data[name].edges.length !== Math.min(50, r.data[name].totalCount))
            throw new Error(`remoteHelpSessions returned ${r.data[name].edges.length} of ${r.data[name].totalCount} sessions, not a page of 50`);
          if (name === 'remoteHelpMonitor' && r.data[name].totalSessions < totals[k] * 0.9) throw new Error(`remoteHelpMonitor counts ${r.data[name].totalSessions} of ${totals[k]} sessions`);
        }
      }
      const runs = { remoteHelpSessions: [], remoteHelpMonitor: [] };
      const identicalRuns = { remoteHelpSessions: [], remoteHelpMonitor: [] };
      for (let i = 0; i < repeats; i++) {
        for (const [name, body] of Object.entries(queries)) {
          runs[name].push(await runLoad({ url: ctx.run.system.gatewayUrl, variantsFile: variantsFiles[name], connections, durationSeconds }));
          identicalRuns[name].push(await runLoad({ url: ctx.run.system.gatewayUrl, body, headers: { authorization: `Bearer ${t.adminToken}` }, connections, durationSeconds }));
        }
      }
      const summarize = (list) => ({
        rps: Math.round(median(list.map((r) => r.rps))),
        p50: median(list.map((r) => r.p50)),
        p95: median(list.map((r) => r.p95)),
        p99: median(list.map((r) => r.p99)),
        errors: list.reduce((a, r) => a + r.errors, 0),
      });
      const failed = Object.entries({ ...runs, ...Object.fromEntries(Object.entries(identicalRuns).map(([k, v]) => [`${k} (identical)`, v])) }).flatMap(([k, list]) =>
        list.filter((r) => r.errors).map((r) => `${k}: ${r.errors} errors, e.g. ${r.firstError}`),
      );
      if (failed.length) throw new Error(`failed requests under load: ${failed.join('; ')}`);
      const q = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, summarize(v)]));
      const qIdentical = Object.fromEntries(Object.entries(identicalRuns).map(([k, v]) => [k, summarize(v)]));
      const shape = { records, tenants: tenantCount, connections, durationSeconds, repeats, seedSeconds };
      // rpsPerCaller: what a per-caller cache could answer with one fetch.
      const rows = [
        ingest,
        { scenario: 'reporting', target: 'duplicates re-sent', events: slice, recordsChanged: duplicatesIgnored ? 0 : 1 },
        ...Object.entries(q).map(([k, v]) => ({ scenario: 'reporting', target: k, load: 'distinct callers, varied variables', callers: readers.length, ...shape, ...v, rpsPerCaller: round(v.rps / readers.length) })),
        ...Object.entries(qIdentical).map(([k, v]) => ({ scenario: 'reporting', target: k, load: 'identical query, one caller', callers: 1, ...shape, tenants: 1, ...v, rpsPerCaller: v.rps })),
      ];
      return {
        rows,
        ratios: {},
        targets: {
          'ingest at least 5,000 events/s': ingest.eventsPerSecond >= 5000,
          'every event applied exactly once (records, daily totals, active count)': exact,
          're-sent events not applied twice': duplicatesIgnored,
          [`remoteHelpSessions p95 at most 100 ms, ${readers.length} distinct callers in ${tenantCount} tenants`]: q.remoteHelpSessions.p95 <= 100,
          [`remoteHelpMonitor p95 at most 100 ms, ${readers.length} distinct callers in ${tenantCount} tenants`]: q.remoteHelpMonitor.p95 <= 100,
        },
      };
    } finally {
      await db.end();
    }
  },
};

function runWorker(input) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', path.join(here, '..', 'workers', 'reporting-produce.mjs'), JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`reporting producer failed (${code}): ${err.slice(-500)}`))));
  });
}

/** Polls `check` every 50 ms; resolves with the time (epoch ms) it first held. */
async function waitFor(check, timeoutMs, what) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return Date.now();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Until the consumer group's committed offsets reach the end of every partition of the topic. */
async function waitForGroupCaughtUp(brokers, groupId, topic, timeoutMs) {
  const admin = new Kafka({ clientId: 'bench-reporting-lag', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await waitFor(
      async () => {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const at = new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
        return ends.every((e) => Number(e.high) === 0 || at.get(e.partition) >= Number(e.high));
      },
      timeoutMs,
      `consumer group ${groupId} to catch up`,
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * `n` more ended sessions of the tenant over the last 29 days (200 helpers, 5,000 sharers, 20,000
 * devices, the three session types), as the consumer writes them, then the tenant's daily totals
 * recomputed from its records (what the consumer keeps), then (unless `vacuum` is false, when
 * more tenants follow) VACUUM ANALYZE.
 */
export async function seed(db, tenantId, n, { vacuum = true } = {}) {
  if (n > 0) {
    const span = 29 * 86400;
    const uid = (prefix, i) => `('${prefix}-0000-4000-8000-' || lpad(to_hex(${i}), 12, '0'))::uuid`;
    await db.query(
      `
      INSERT INTO session_records (session_id, tenant_id, helper_id, sharer_id, device_id, device_enrolled, platform, session_type, control_mode, state,
        elevation_used, chat_enabled, chat_used, reason, requested_at, started_at, ended_at, duration_seconds, end_reason, version)
      SELECT gen_random_uuid(), $1, ${uid('aaaaaaaa', `1 + i % ${HELPERS}`)},
        CASE WHEN i % 10 = 0 THEN NULL ELSE ${uid('bbbbbbbb', '1 + i % 5000')} END, ${uid('cccccccc', '1 + i % 20000')},
        i % 17 <> 0, 'WINDOWS', (ARRAY['VIEW_ONLY','FULL_CONTROL','UNATTENDED'])[1 + i % 3], 'VIEW_ONLY', 'ENDED', i % 11 = 0, true, i % 4 = 0, 'INC-' || i,
        r, r + interval '20 seconds', r + interval '20 seconds' + (i % 3600) * interval '1 second', i % 3600, 'HELPER_ENDED', 4
      FROM generate_series(1, ${n}) i, LATERAL (SELECT date_trunc('milliseconds', now()) - interval '1 hour' - (i * ${span / n}) * interval '1 second' AS r) t`,
      [tenantId],
    );
  }
  await db.query('BEGIN');
  await db.query(`DELETE FROM session_daily_stats WHERE tenant_id = $1`, [tenantId]);
  await db.query(
    `
    INSERT INTO session_daily_stats (tenant_id, day, session_type, sessions, sessions_with_duration, total_duration_seconds)
    SELECT tenant_id, (requested_at AT TIME ZONE 'UTC')::date, session_type, count(*), count(duration_seconds), coalesce(sum(duration_seconds), 0)
    FROM session_records WHERE tenant_id = $1 GROUP BY 1, 2, 3`,
    [tenantId],
  );
  await db.query('COMMIT');
  if (!vacuum) return;
  // What autovacuum does to a table that grew over a month: statistics, and the visibility map
  // that lets counts over an index (totalCount by helper) skip the table.
  await db.query('VACUUM ANALYZE session_records');
  await db.query('VACUUM ANALYZE session_daily_stats');
}

function sameFigures(actual, expected) {
  const a = Object.fromEntries(Object.entries(actual).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return Object.entries(expected).every(([k, v]) => a[k.toLowerCase()] === String(v));
}

const round = (n) => Math.round(n * 100) / 100;
