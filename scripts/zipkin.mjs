#!/usr/bin/env node
// A local Zipkin server (in-memory storage) for the trace tests and for looking at traces while
// developing. The server is Zipkin's executable jar from Maven Central, fetched once through
// Maven (scripts/zipkin/pom.xml, scripts/lib/maven-jars.mjs) into
//   ${ZIPKIN_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/remote-help}/zipkin-<pom hash>
// Needs Java 17+ (and, for the first fetch, Maven).
//
//   node scripts/zipkin.mjs start [--port 9411]   run one in the foreground until Ctrl-C
//   node scripts/zipkin.mjs fetch                 only download the jar
//
// With it running, `OTEL_TRACES_EXPORTER=zipkin OTEL_EXPORTER_ZIPKIN_ENDPOINT=http://127.0.0.1:9411/api/v2/spans npm start`
// sends every process's spans there; the UI is at http://127.0.0.1:9411/zipkin/.
//
// As a module:
//   import { startZipkin } from './zipkin.mjs';
//   const zipkin = await startZipkin({ port, logFile });  // { url, spansEndpoint, stop }

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fetchMavenJars, pomHash, scriptsCacheRoot } from './lib/maven-jars.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const POM = path.join(HERE, 'zipkin', 'pom.xml');
export const DEFAULT_PORT = 9411;
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 120_000;

export class ZipkinSetupError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ZipkinSetupError';
  }
}

function libsDir() {
  const base = process.env.ZIPKIN_CACHE_DIR ? path.resolve(process.env.ZIPKIN_CACHE_DIR) : scriptsCacheRoot();
  return path.join(base, `zipkin-${pomHash(POM).slice(0, 16)}`);
}

/** The Zipkin server's exec jar, downloaded once. */
export async function fetchZipkin({ log = (m) => process.stderr.write(`[zipkin] ${m}\n`) } = {}) {
  const m = await fetchMavenJars({
    pom: POM,
    dir: libsDir(),
    what: 'the Zipkin server',
    fail: (message) => new ZipkinSetupError(message),
    log,
    inspect: (tmp, jars) => {
      const jar = jars.find((j) => /^zipkin-server-.*-exec\.jar$/.test(j));
      if (!jar) throw new ZipkinSetupError(`mvn did not fetch zipkin-server's exec jar into ${tmp} (got ${jars.join(', ') || 'nothing'})`);
      return { jar };
    },
  });
  return path.join(m.libs, m.jar);
}

async function healthy(url) {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts a Zipkin server on 127.0.0.1:port with in-memory storage (its output to `logFile`, or
 * dropped) and resolves once it answers: { url, spansEndpoint, stop() }.
 */
export async function startZipkin({ port = DEFAULT_PORT, logFile, log } = {}) {
  const jar = await fetchZipkin({ log });
  const url = `http://${HOST}:${port}`;
  const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
  let child;
  try {
    const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
    child = spawn(java, ['-Xms64m', '-Xmx384m', '-XX:+ExitOnOutOfMemoryError', '-jar', jar], {
      stdio: ['ignore', out, out],
      // In memory, only the HTTP collector (POST /api/v2/spans) and the API on the one port.
      env: { ...process.env, STORAGE_TYPE: 'mem', MEM_MAX_SPANS: '200000', QUERY_PORT: String(port), SELF_TRACING_ENABLED: 'false', COLLECTOR_SCRIBE_ENABLED: 'false' },
    });
  } finally {
    if (typeof out === 'number') fs.closeSync(out);
  }
  let exited = null;
  child.once('exit', (code, signal) => (exited = signal ? `signal ${signal}` : `exit code ${code}`));
  child.once('error', (e) => (exited = e.message));
  const stop = async () => {
    if (exited) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await gone;
    clearTimeout(timer);
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await healthy(url))) {
    if (exited) throw new ZipkinSetupError(`the Zipkin server stopped while starting (${exited})${logFile ? `; see ${logFile}` : ''}`);
    if (Date.now() > deadline) {
      await stop();
      throw new ZipkinSetupError(`the Zipkin server did not answer on ${url} within ${START_TIMEOUT_MS / 1000} s; stopped it`);
    }
    await sleep(250);
  }
  return { url, spansEndpoint: `${url}/api/v2/spans`, stop };
}

async function main(argv) {
  const [cmd, ...rest] = argv;
  if (cmd === 'fetch') {
    process.stdout.write(`${await fetchZipkin()}\n`);
    return 0;
  }
  if (cmd === 'start') {
    const i = rest.indexOf('--port');
    const port = i >= 0 ? Number(rest[i + 1]) : DEFAULT_PORT;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ZipkinSetupError(`invalid port ${rest[i + 1]}`);
    const zipkin = await startZipkin({ port });
    process.stdout.write(`zipkin ready on ${zipkin.url} (UI ${zipkin.url}/zipkin/); OTEL_TRACES_EXPORTER=zipkin OTEL_EXPORTER_ZIPKIN_ENDPOINT=${zipkin.spansEndpoint}\n`);
    await new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await zipkin.stop();
    return 0;
  }
  process.stderr.write('usage: node scripts/zipkin.mjs start [--port 9411] | fetch\n');
  return 2;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`zipkin: ${e instanceof ZipkinSetupError ? e.message : e.stack}\n`);
      process.exit(1);
    },
  );
}
