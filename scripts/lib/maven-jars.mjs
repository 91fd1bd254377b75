// Jars from Maven Central, fetched once with Maven into a cache outside the clone: the one way
// the scripts get Java parts (the Kafka broker, helm-java, the Zipkin server). No npm
// dependencies: only node: built-ins, runs on Node 20 and later.
//
// A pom of the project names the artifacts; `mvn dependency:copy-dependencies` copies them into
// a temporary folder beside the cache folder, which is checked, marked (.fetched.json: the pom's
// hash, the -D properties, what the caller found in the jars) and renamed into place, so that a
// half-fetched folder is never used and concurrent fetches agree. A changed pom fetches again
// (or whatever the caller's `valid` says of a marker).

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MARKER_FILE = '.fetched.json';

/** The scripts' cache: ${XDG_CACHE_HOME:-~/.cache}/remote-help. */
export function scriptsCacheRoot() {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'remote-help');
}

export function pomHash(pom) {
  return createHash('sha256').update(fs.readFileSync(pom)).digest('hex');
}

/** The marker of a finished fetch in `dir` (parsed), or null. */
export function readJarsMarker(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MARKER_FILE), 'utf8'));
  } catch {
    return null; // no marker, or a broken one
  }
}

/** Is `cmd` an executable on PATH? */
export function onPath(cmd) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, cmd);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return true;
    } catch {
      // not here
    }
  }
  return false;
}

function run(cmd, args) {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (e) => resolve({ code: -1, out: `${out}${e.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? signal, out }));
  });
}

/**
 * The jars of `pom` (runtime scope, with `-D` `properties`) in `dir`, fetched with Maven unless
 * a finished fetch is there that `valid(marker)` accepts (default: made from this pom).
 * `inspect(tmpDir, jarNames)` checks what arrived (throw to refuse it) and returns fields kept in
 * the marker. `fail(message)` makes the caller's error. Resolves to the marker with `libs` (the
 * folder) and `fetched` (whether this call downloaded).
 */
export async function fetchMavenJars({ pom, dir, properties = {}, what, inspect = () => ({}), valid = (m) => m.pomSha256 === pomHash(pom), fail = (m) => new Error(m), log = () => {} }) {
  const finished = () => {
    const m = readJarsMarker(dir);
    return m && valid(m) ? m : null;
  };
  const cached = finished();
  if (cached) return { ...cached, libs: dir, fetched: false };
  if (!onPath('mvn')) throw fail(`fetching ${what} needs Maven (mvn) on PATH (Debian/Ubuntu: apt-get install maven)`);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp);
  try {
    log(`fetching ${what} from Maven Central into ${dir} (once)...`);
    const t0 = Date.now();
    const defines = Object.entries(properties).map(([k, v]) => `-D${k}=${v}`);
    const r = await run('mvn', ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${tmp}`, '-DincludeScope=runtime', ...defines]);
    if (r.code !== 0) throw fail(`mvn could not fetch ${what} (exit ${r.code}):\n${r.out.trim()}`);
    const jars = fs.readdirSync(tmp).filter((f) => f.endsWith('.jar'));
    const found = await inspect(tmp, jars);
    const marker = { pomSha256: pomHash(pom), properties, ...found, jars: jars.length, fetchedAt: new Date().toISOString(), fetchSeconds: (Date.now() - t0) / 1000 };
    fs.writeFileSync(path.join(tmp, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);
    // Swap the finished folder in; another process may have done it meanwhile.
    const other = finished();
    if (other) return { ...other, libs: dir, fetched: false };
    fs.rmSync(dir, { recursive: true, force: true });
    try {
      fs.renameSync(tmp, dir);
    } catch (e) {
      const again = finished();
      if (again) return { ...again, libs: dir, fetched: false };
      throw e;
    }
    log(`fetched ${jars.length} jars in ${marker.fetchSeconds.toFixed(1)} s`);
    return { ...marker, libs: dir, fetched: true };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
