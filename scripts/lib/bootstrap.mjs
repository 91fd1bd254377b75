// First steps of `npm start` / `npm test` on a fresh clone. This file must run on any Node the
// machine has (it may be older than the project's): it installs the dependencies when they are
// missing or older than the lock file, then re-runs the calling script on the project's pinned
// Node (the `node` dev dependency) when the current one is older.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MIN_MAJOR = 22;

export function log(msg) {
  process.stderr.write(`\x1b[36m[remote-help]\x1b[0m ${msg}\n`);
}

export function fail(msg) {
  process.stderr.write(`\x1b[31m[remote-help]\x1b[0m ${msg}\n`);
  process.exit(1);
}

/** Installs dependencies if needed and makes sure this script runs on the pinned Node. */
export function ensureToolchain(scriptUrl) {
  const lock = path.join(ROOT, 'package-lock.json');
  const installed = path.join(ROOT, 'node_modules', '.package-lock.json');
  const stale = !fs.existsSync(installed) || (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(installed).mtimeMs + 1000);
  const localNode = path.join(ROOT, 'node_modules', '.bin', 'node');
  if (stale || !fs.existsSync(localNode)) {
    log('installing dependencies (npm ci)...');
    const r = spawnSync('npm', [fs.existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
    if (r.status !== 0) fail('npm ci failed: see the messages above');
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major < MIN_MAJOR && !process.env.RH_REEXEC) {
    const r = spawnSync(localNode, [fileURLToPath(scriptUrl), ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, RH_REEXEC: '1' } });
    process.exit(r.status ?? 1);
  }
  // Every tool we start finds the pinned Node first.
  process.env.PATH = `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`;
  // kafkajs schedules timers with negative delays (its idle loop, which libs/events and
  // scripts/lib/kafkajs.mjs switch off, and possibly elsewhere), which Node 24 reports as
  // TimeoutNegativeWarning; harmless (they fire at once), so not printed. The services run with
  // --disable-warning=TimeoutNegativeWarning for the same reason.
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.name !== 'TimeoutNegativeWarning') process.stderr.write(`${w.name}: ${w.message}\n`);
  });
  process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
}

export function isReachable(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Runs a command, its output going to stderr; stops with a message when it fails. */
export function run(cmd, args, what, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 2, 2], ...opts });
  if (r.status !== 0) fail(`${what} failed (exit ${r.status ?? r.signal})`);
}

export function build() {
  log('building (nx run-many -t build)...');
  run('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static'], 'build', { env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });
}
