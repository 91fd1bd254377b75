// Runs a load in a separate process with autocannon and returns its figures
// ({ rps, p50, p90, p95, p99, max, errors, ... }; p95 is computed by the worker). One body and
// one set of headers for every request, or, with `variantsFile` (a JSON array of { body,
// authorization }, see writeVariants), those in turn: distinct callers and variables.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export function runLoad({ url, body, headers = {}, variantsFile, connections, durationSeconds, pipelining = 1 }) {
  const opts = {
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    ...(variantsFile ? { variantsFile } : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    connections,
    duration: durationSeconds,
    pipelining,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, '..', 'workers', 'autocannon.mjs'), JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load worker failed (${code}): ${err.slice(-500)}`));
      resolve(JSON.parse(out.trim().split('\n').pop()));
    });
  });
}

/**
 * Writes request variants ([{ body, token, expect? }]: a GraphQL body, the caller's bearer token
 * and optionally text that its answer must contain) to `file` for runLoad's `variantsFile`;
 * returns the file.
 */
export function writeVariants(file, variants) {
  fs.writeFileSync(file, JSON.stringify(variants.map((v) => ({ body: JSON.stringify(v.body), authorization: `Bearer ${v.token}`, ...(v.expect !== undefined ? { expect: v.expect } : {}) }))));
  return file;
}

/** Resident memory of a process, in MiB (Linux /proc). */
export async function rssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
