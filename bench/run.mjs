#!/usr/bin/env node
// `npm run bench` (every scenario), `npm run bench -- NAME...` (some), `npm run bench -- --quick`
// (every scenario at tiny size: checks that the harness produces figures, not how good they are;
// part of `npm test`). Starts the whole system itself (isolated like a test run), loads it from
// separate processes on 127.0.0.1, prints a table and writes bench/results/<time>.json.
import { build, ensureToolchain, fail, log, ROOT } from '../scripts/lib/bootstrap.mjs';

ensureToolchain(import.meta.url);

const fs = await import('node:fs');
const os = await import('node:os');
const path = await import('node:path');
const { spawnSync } = await import('node:child_process');
const { ensurePostgres } = await import('../scripts/lib/postgres-server.mjs');

const postgres = await ensurePostgres();
// Built before the harness's own modules load: some of them (through scripts/lib/kafkajs.mjs)
// require the built libs, which a fresh clone does not have yet.
if (!process.env.RH_BENCH_NO_BUILD) build();
const { startIsolatedSystem, cliEnv } = await import('../scripts/lib/isolated-system.mjs');
const { SCENARIOS } = await import('./scenarios/index.mjs');
const { memorySnapshot } = await import('./scenarios/memory.mjs');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const names = args.filter((a) => !a.startsWith('-'));
const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
if (unknown.length) fail(`unknown scenario ${unknown.join(', ')}; scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}`);
const selected = names.length ? SCENARIOS.filter((s) => names.includes(s.name)) : SCENARIOS;

// Before anything else runs: how fast the machine is today (bench/lib/machine-speed.mjs).
const { machineSpeed } = await import('./lib/machine-speed.mjs');
const speed = await machineSpeed({ quick });
log(
  `machine speed: ${Object.entries(speed)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`,
);
log(`starting the system for the benchmark${quick ? ' (quick)' : ''}...`);
// Rate limits off (0) by default: the load comes from a handful of callers, and would otherwise
// measure 429s. RH_BENCH_RATE_LIMITS=shared: every limit on, at a size no load here reaches
// (counting and sharing cost the same whatever the size), shared through Kafka every
// RATE_LIMIT_SYNC_MS as the chart and compose deploy the gateway (its default, 250 ms).
const rateLimits = process.env.RH_BENCH_RATE_LIMITS ?? 'off';
if (!['off', 'shared'].includes(rateLimits)) fail(`RH_BENCH_RATE_LIMITS: off or shared, got ${rateLimits}`);
const limit = rateLimits === 'shared' ? '10000000' : '0';
const envFor = { gateway: { RATE_LIMIT_PER_CALLER: limit, RATE_LIMIT_PER_TENANT: limit, RATE_LIMIT_SESSION_PER_CALLER: limit, RATE_LIMIT_SESSION_PER_TENANT: limit } };
log(`gateway rate limits: ${rateLimits === 'shared' ? 'on (10,000,000 per window), shared every RATE_LIMIT_SYNC_MS (default 250 ms)' : 'off'}`);
// RH_BENCH_CPU_PROF=gateway,session-service (or "all"): those processes write V8 CPU profiles
// (--cpu-prof) to bench/results/profiles/<process>/ when they stop; open them in Chrome DevTools.
const profiled = (process.env.RH_BENCH_CPU_PROF ?? '')
  .split(',')
  .map((n) => n.trim())
  .filter(Boolean);
if (profiled.length) {
  const profileDir = path.join(ROOT, 'bench', 'results', 'profiles');
  fs.mkdirSync(profileDir, { recursive: true });
  const all = ['gateway', 'tenant-service', 'rbac-service', 'session-service', 'reporting-service'];
  for (const name of profiled.includes('all') ? all : profiled) {
    if (!all.includes(name)) fail(`RH_BENCH_CPU_PROF: unknown process ${name} (${all.join(', ')}, all)`);
    envFor[name] = { ...envFor[name], NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.join(profileDir, name)}` };
  }
  log(`CPU profiles of ${profiled.join(', ')} go to ${path.relative(ROOT, profileDir)}/`);
}
// RH_BENCH_KEEP_DATA=1 keeps the run's data directory (.data/bench-*/, with each process's log).
const keep = process.env.RH_BENCH_KEEP_DATA === '1';
const run = await startIsolatedSystem({ label: 'bench', env: { LOG_LEVEL: 'warn' }, envFor, keep });
if (keep) log(`the run's data and logs stay in ${path.relative(ROOT, run.dataDir)}/`);
let counter = 0;
const ctx = {
  quick,
  run,
  rh(cliArgs) {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/rh.mjs'), ...cliArgs], { cwd: ROOT, encoding: 'utf8', env: cliEnv(run) });
    if (r.status !== 0) throw new Error(`rh ${cliArgs.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  },
  async newTenant() {
    const domain = `bench${Date.now().toString(36)}${counter++}.example.com`;
    const adminUpn = `admin@${domain}`;
    const { tenantId, adminUserId } = JSON.parse(ctx.rh(['tenant', 'create', `--name=Bench ${domain}`, `--domain=${domain}`, `--admin=${adminUpn}`]));
    return { tenantId, adminUserId, adminUpn, domain, adminToken: ctx.rh(['token', `--tenant=${tenantId}`, `--user=${adminUpn}`, '--ttl=7200']) };
  },
  async gql(query, variables, token) {
    const res = await fetch(run.system.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    return res.json();
  },
};

const results = [];
let failed = false;
try {
  ctx.memoryAtStart = await memorySnapshot(run.system, 'idle');
  for (const s of selected) {
    log(`scenario ${s.name}: ${s.description}`);
    const t0 = Date.now();
    try {
      const r = await s.run(ctx);
      results.push({ scenario: s.name, seconds: Math.round((Date.now() - t0) / 1000), ...r });
    } catch (e) {
      failed = true;
      results.push({ scenario: s.name, error: e.message });
      process.stderr.write(`scenario ${s.name} failed: ${e.stack}\n`);
    }
  }
  if (selected.some((s) => s.name === 'memory')) results.find((r) => r.scenario === 'memory')?.rows?.push(...(await memorySnapshot(run.system, 'end of run')));
} finally {
  await run.cleanup();
  await postgres.stop();
}

// Every row must carry figures: a scenario that produced none has rotted.
for (const r of results) {
  if (r.error) continue;
  const figures = (r.rows ?? []).flatMap((row) => Object.values(row).filter((v) => typeof v === 'number'));
  if (!figures.length || figures.some((v) => !Number.isFinite(v))) {
    failed = true;
    r.error = 'produced no figures';
  }
}

const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}`, speed };
const file = path.join(ROOT, 'bench', 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`);
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), quick, rateLimits, machine, results }, null, 2) + '\n');

for (const r of results) {
  process.stdout.write(`\n== ${r.scenario}${r.error ? `: FAILED (${r.error})` : ''}\n`);
  if (r.rows?.length) console.table(r.rows.map(({ scenario, ...row }) => row));
  if (r.ratios && Object.keys(r.ratios).length) process.stdout.write(`ratios: ${JSON.stringify(r.ratios)}\n`);
  for (const [target, met] of Object.entries(r.targets ?? {})) process.stdout.write(`target ${met ? 'met' : 'MISSED'}: ${target}\n`);
}
process.stdout.write(`\nmachine speed (smaller is faster): ${JSON.stringify(speed)}\n`);
process.stdout.write(`results written to ${path.relative(ROOT, file)}\n`);
process.stdout.write(`bench: ${results.filter((r) => !r.error).length} passed, ${results.filter((r) => r.error).length} failed\n`);
process.exit(failed ? 1 : 0);
