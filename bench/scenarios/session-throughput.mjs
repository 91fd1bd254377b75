// Scenario 3: full attended sessions (request, join, accept, end) through the gateway by 200
// concurrent helper/sharer pairs (one tenant, each pair its own helper, sharer and device),
// driven by worker processes (bench/workers/session-pairs.mjs, 100 pairs each). Reports completed
// sessions per second and p50/p99 of each step and of whole sessions: each figure is the median
// over the repeats, which start once earlier load has drained, after a short warm-up that is not
// counted. When the load ends, it takes the memory snapshot that scenario 7 reports as "end of
// session-throughput". It also reports the CPU time each process (and this system's PostgreSQL
// backends, and the Kafka broker when the project's script started it) used per completed session
// over the measured repeats: where a session's cost goes.
import { createRequire } from 'node:module';
import { kafkaStatus } from '../../scripts/kafka.mjs';
import { GATEWAY, SUBGRAPH_SERVICES } from '../../scripts/lib/services.mjs';
import { median } from '../lib/load.mjs';
import { cpuUsedSince } from '../lib/process-stats.mjs';
import { SESSION_QUERIES, setUpHelpDesk, waitUntilDrained } from '../lib/session-setup.mjs';
import { cpuSeconds, percentile, round1, runWorker } from '../lib/session-workers.mjs';
import { memorySnapshot } from './memory.mjs';
import { postgresServerUrl } from '../../scripts/lib/postgres-server.mjs';

const require = createRequire(import.meta.url);
const STEPS = ['request', 'join', 'accept', 'end', 'session'];
const TARGET_SESSIONS_PER_SECOND = 250;

/** One load window: the pairs split over `workers` processes, run at once; merged figures. */
async function window(ctx, pairs, workers, durationSeconds) {
  const per = Math.ceil(pairs.length / workers);
  const parts = Array.from({ length: workers }, (_, i) => pairs.slice(i * per, (i + 1) * per)).filter((p) => p.length);
  const results = await Promise.all(parts.map((part) => runWorker('session-pairs.mjs', { gatewayUrl: ctx.run.system.gatewayUrl, pairs: part, durationSeconds, queries: SESSION_QUERIES })));
  const completed = results.reduce((a, r) => a + r.completed, 0);
  // Each worker finishes its sessions in flight at the end of the window: the rate is over the
  // time until the last of them ended.
  const fig = {
    sessionsPerSecond: completed / Math.max(...results.map((r) => r.elapsedSeconds)),
    completed,
    errors: results.reduce((a, r) => a + r.errors, 0),
    workerCpuPercent: Math.max(...results.map((r) => r.cpuPercent)),
  };
  for (const step of STEPS) {
    const all = results.flatMap((r) => r.latencies[step]);
    fig[`${step}P50`] = percentile(all, 50);
    fig[`${step}P99`] = percentile(all, 99);
  }
  const samples = results.flatMap((r) => r.errorSamples);
  if (samples.length) process.stderr.write(`session-throughput: ${fig.errors} failed sessions, e.g. ${samples.slice(0, 3).join(' | ')}\n`);
  return fig;
}

/**
 * CPU time used so far by each process of the system and by the PostgreSQL backends serving its
 * databases (seconds), to tell where a session's cost goes.
 */
async function cpuByProcess(ctx) {
  const out = {};
  for (const name of [GATEWAY.name, ...SUBGRAPH_SERVICES.map((s) => s.name)]) out[name] = cpuSeconds(ctx.run.system.pidOf(name));
  // The broker, when this project's script started it (all of its CPU: other systems on it count too).
  const kafka = await kafkaStatus();
  if (kafka.pid) out['kafka broker'] = cpuSeconds(kafka.pid);
  const { Client } = require('pg');
  const pg = new Client({ connectionString: `${postgresServerUrl()}/postgres` });
  await pg.connect();
  try {
    const serviceOf = Object.fromEntries(Object.entries(ctx.run.databases).map(([service, u]) => [new URL(u).pathname.slice(1), service]));
    for (const { pid, datname } of (await pg.query('SELECT pid, datname FROM pg_stat_activity WHERE datname = ANY($1)', [Object.keys(serviceOf)])).rows) {
      out[`postgres backend ${pid} ${serviceOf[datname]}`] = cpuSeconds(pid);
    }
  } finally {
    await pg.end();
  }
  return out;
}

/** CPU milliseconds per completed session, by process, between two cpuByProcess readings. */
function cpuPerSession(before, after, sessions) {
  const used = {};
  for (const [k, seconds] of cpuUsedSince(new Map(Object.entries(before)), new Map(Object.entries(after)))) {
    // PostgreSQL: by the service whose database the backend serves.
    const name = k.startsWith('postgres backend') ? `postgres: ${k.split(' ')[3]}'s database` : k;
    used[name] = (used[name] ?? 0) + seconds;
  }
  used["postgres (all of this system's databases)"] = Object.entries(used)
    .filter(([k]) => k.startsWith('postgres: '))
    .reduce((a, [, v]) => a + v, 0);
  used['all of the above'] = Object.entries(used)
    .filter(([k]) => !k.startsWith('postgres: '))
    .reduce((a, [, v]) => a + v, 0);
  return Object.entries(used).map(([process, seconds]) => ({ scenario: 'session-throughput', step: `CPU: ${process}`, cpuMsPerSession: round1((seconds * 1000) / sessions) }));
}

export default {
  name: 'session-throughput',
  description: 'full attended sessions (request, join, accept, end) through the gateway by 200 concurrent helper/sharer pairs',
  async run(ctx) {
    const { quick } = ctx;
    const pairCount = quick ? 4 : 200;
    const workers = quick ? 1 : 2;
    const durationSeconds = quick ? 3 : 15;
    const repeats = quick ? 1 : 3;
    const warmupSeconds = quick ? 1 : 3;

    const { pairs } = await setUpHelpDesk(ctx, pairCount);
    // Earlier scenarios' events (and the set-up's) still in flight would compete for the CPU.
    await waitUntilDrained(ctx);
    if (warmupSeconds) await window(ctx, pairs, workers, warmupSeconds);
    const runs = [];
    const cpuBefore = await cpuByProcess(ctx);
    try {
      for (let i = 0; i < repeats; i++) runs.push(await window(ctx, pairs, workers, durationSeconds));
    } finally {
      ctx.memoryAfterSessions = await memorySnapshot(ctx.run.system, 'end of session-throughput');
    }
    const cpuAfter = await cpuByProcess(ctx);
    const med = (k) => round1(median(runs.map((r) => r[k])));
    const completed = runs.reduce((a, r) => a + r.completed, 0);
    const errors = runs.reduce((a, r) => a + r.errors, 0);
    if (!completed) throw new Error(`no session completed (${errors} failed)`);
    const sessionsPerSecond = med('sessionsPerSecond');
    const rows = STEPS.map((step) => ({
      scenario: 'session-throughput',
      step: step === 'session' ? 'whole session' : step,
      p50: med(`${step}P50`),
      p99: med(`${step}P99`),
      ...(step === 'session' ? { sessionsPerSecond, errors, pairs: pairCount, workers, durationSeconds, repeats, workerCpuPercent: med('workerCpuPercent') } : {}),
    }));
    rows.unshift(rows.pop()); // the whole session first
    return {
      rows: [...rows, ...cpuPerSession(cpuBefore, cpuAfter, completed)],
      ratios: { sessionsPerSecondVsTarget: Math.round((sessionsPerSecond / TARGET_SESSIONS_PER_SECOND) * 100) / 100, gatewayRequestsPerSecond: round1(sessionsPerSecond * 4) },
      targets: { [`at least ${TARGET_SESSIONS_PER_SECOND} sessions/s`]: sessionsPerSecond >= TARGET_SESSIONS_PER_SECOND },
    };
  },
};
