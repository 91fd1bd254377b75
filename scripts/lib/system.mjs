// Starts and stops the whole system (four subgraph services, then the gateway) as child
// processes of the built code. Used by `npm start`, the end-to-end tests and the benchmarks.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { ROOT } from './bootstrap.mjs';
import { localDatabaseUrl } from './local-postgres.mjs';
import { GATEWAY, SUBGRAPH_SERVICES } from './services.mjs';

const require = createRequire(import.meta.url);
const COLORS = [32, 33, 34, 35, 36, 92];

/** Creates the gateway's internal-token key pair and the development issuer's keys, once. */
export async function ensureKeys(dataDir) {
  const auth = require(path.join(ROOT, 'libs/auth/dist/index.js'));
  const keysDir = path.join(dataDir, 'keys');
  await auth.ensureInternalKeys(keysDir); // the gateway's: internal.{private,public}.pem
  await auth.ensureInternalKeys(keysDir, 'service'); // the services': service.{private,public}.pem
  await auth.ensureDevIssuerKeys(keysDir);
  return keysDir;
}

/**
 * @param {object} o
 * @param {string} o.dataDir      keys live in `${dataDir}/keys`
 * @param {string} o.kafkaBrokers
 * @param {string} [o.topicPrefix]
 * @param {(service: {name: string, database: string}) => string} [o.databaseUrl]
 * @param {Record<string, number>} [o.ports]  by process name
 * @param {Record<string, number>} [o.metricsPorts]  of `GET /metrics` (METRICS_PORT), by process name
 * @param {string} [o.logDir]     write each process's output to `<logDir>/<name>.log` instead of the console
 * @param {Record<string, string>} [o.env] extra environment for every process
 * @param {Record<string, Record<string, string>>} [o.envFor] extra environment by process name
 */
export async function startSystem(o) {
  const keysDir = await ensureKeys(o.dataDir);
  const ports = { [GATEWAY.name]: GATEWAY.port, ...Object.fromEntries(SUBGRAPH_SERVICES.map((s) => [s.name, s.port])), ...(o.ports ?? {}) };
  const metricsPorts = { ...Object.fromEntries([GATEWAY, ...SUBGRAPH_SERVICES].map((s) => [s.name, s.metricsPort])), ...(o.metricsPorts ?? {}) };
  const localUrls = o.databaseUrl ? null : Object.fromEntries(await Promise.all(SUBGRAPH_SERVICES.map(async (s) => [s.name, await localDatabaseUrl(s.database)])));
  const databaseUrl = o.databaseUrl ?? ((s) => localUrls[s.name]);
  const base = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV === 'production' ? 'production' : 'development',
    APOLLO_TELEMETRY_DISABLED: '1',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    KAFKA_BROKERS: o.kafkaBrokers,
    KAFKA_TOPIC_PREFIX: o.topicPrefix ?? '',
    RH_DATA_DIR: o.dataDir,
    INTERNAL_JWT_PUBLIC_KEY_FILE: path.join(keysDir, 'internal.public.pem'),
    SERVICE_JWT_PRIVATE_KEY_FILE: path.join(keysDir, 'service.private.pem'),
    SERVICE_JWT_PUBLIC_KEY_FILE: path.join(keysDir, 'service.public.pem'),
    TENANT_SERVICE_INTERNAL_URL: `http://127.0.0.1:${ports['tenant-service']}`,
    RBAC_SERVICE_INTERNAL_URL: `http://127.0.0.1:${ports['rbac-service']}`,
    ...(o.env ?? {}),
  };
  const procs = new Map();
  const system = {
    keysDir,
    ports,
    metricsPorts,
    gatewayUrl: `http://127.0.0.1:${ports.gateway}/graphql`,
    urlOf: (name) => `http://127.0.0.1:${ports[name]}`,
    metricsUrlOf: (name) => `http://127.0.0.1:${metricsPorts[name]}/metrics`,
    pidOf: (name) => procs.get(name)?.child.pid,
    start: (name) => startOne(name),
    /**
     * Another replica of a process (`<name>~<replica>`, e.g. `session-service~2`) on its own
     * ports, with the same environment as the first plus `env`; stopped with the system.
     */
    async startReplica(name, replica, { port, metricsPort, env = {} }) {
      const key = `${name}~${replica}`;
      ports[key] = port;
      metricsPorts[key] = metricsPort;
      await startOne(key, name, env);
      return key;
    },
    /** Resolves with the process's exit code (or the signal that ended it). */
    stopOne: (name, signal) => stopOne(name, signal),
    async stop() {
      // The last started first: replicas, the gateway, then the services in reverse order.
      for (const name of [...procs.keys()].reverse()) await stopOne(name);
    },
  };

  function envFor(name) {
    const svc = SUBGRAPH_SERVICES.find((s) => s.name === name);
    const env = { ...base, PORT: String(ports[name]), METRICS_PORT: String(metricsPorts[name]), ...(o.envFor?.[name] ?? {}) };
    if (svc) env.DATABASE_URL = databaseUrl(svc);
    else {
      env.INTERNAL_JWT_PRIVATE_KEY_FILE = path.join(keysDir, 'internal.private.pem');
      env.DEV_ISSUER_KEYS_DIR = keysDir;
      for (const s of SUBGRAPH_SERVICES) env[s.urlEnv] = `http://127.0.0.1:${ports[s.name]}/graphql`;
    }
    return env;
  }

  async function startOne(name, base = name, extraEnv = {}) {
    const env = { ...envFor(base), PORT: String(ports[name]), METRICS_PORT: String(metricsPorts[name]), ...extraEnv };
    // RH_NODE_FLAGS: Node/V8 flags for the process's command line (ones NODE_OPTIONS refuses,
    // e.g. --single-threaded-gc, --trace-gc), for experiments and the benchmark.
    const flags = (env.RH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
    const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', ...flags, path.join(ROOT, 'apps', base, 'dist', 'main.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const entry = { child, env, exited: false, exitCode: null };
    procs.set(name, entry);
    child.once('exit', (code, signal) => Object.assign(entry, { exited: true, exitCode: code ?? signal }));
    pipeOutput(name, child, o.logDir);
    const readyPath = base === GATEWAY.name ? '/health/live' : '/health/ready';
    await waitFor(`${name} ${readyPath}`, entry, `${system.urlOf(name)}${readyPath}`, o.startTimeoutMs ?? 120_000, o.logDir && path.join(o.logDir, `${name}.log`));
  }

  async function stopOne(name, signal = 'SIGTERM') {
    const entry = procs.get(name);
    if (!entry) return undefined;
    if (entry.exited) return entry.exitCode;
    const exited = new Promise((r) => entry.child.once('exit', r));
    entry.child.kill(signal);
    // A process exits by itself within its grace period (SHUTDOWN_GRACE_SECONDS, default 30 s);
    // one that does not is killed a little later.
    const t = setTimeout(() => entry.child.kill('SIGKILL'), (Number(entry.env.SHUTDOWN_GRACE_SECONDS) || 30) * 1000 + 5_000);
    await exited;
    clearTimeout(t);
    return entry.exitCode;
  }

  try {
    for (const s of SUBGRAPH_SERVICES) await startOne(s.name);
    await startOne(GATEWAY.name);
  } catch (e) {
    await system.stop();
    throw e;
  }
  return system;
}

async function waitFor(what, entry, url, timeoutMs, logFile) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (entry.exited) throw new Error(`${what}: the process exited (${entry.exitCode})${tail(logFile)}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs} ms${tail(logFile)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function tail(file) {
  if (!file || !fs.existsSync(file)) return '';
  return `\n--- last lines of ${file}:\n${fs.readFileSync(file, 'utf8').split('\n').slice(-25).join('\n')}`;
}

function pipeOutput(name, child, logDir) {
  if (logDir) {
    fs.mkdirSync(logDir, { recursive: true });
    const out = fs.createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    return;
  }
  const color = COLORS[[GATEWAY.name, ...SUBGRAPH_SERVICES.map((s) => s.name)].indexOf(name) % COLORS.length];
  const prefix = `\x1b[${color}m${name.padEnd(17)}|\x1b[0m `;
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(prefix + pretty(line) + '\n'));
  }
}

/** A pino JSON line shortened for a terminal: level, message, request id. */
function pretty(line) {
  if (!line.startsWith('{')) return line;
  try {
    const j = JSON.parse(line);
    const level = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }[j.level] ?? j.level;
    const extra = j.req ? ` ${j.req.method} ${j.req.url} -> ${j.res?.statusCode} (${j.responseTime} ms) reqId=${j.req.id}` : '';
    return `${level} ${j.context ? `[${j.context}] ` : ''}${j.msg ?? ''}${extra}`;
  } catch {
    return line;
  }
}
