// Runs one access-decision load (bench/workers/access-load.mjs) in a separate process and returns
// its figures: { requests, rps, p50, p90, p99, max, errors, firstError, allowedShare, lagP99, drawn }.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** mode 'rate' (open loop at `rate` requests/s) or 'max' (closed loop over `connections`). */
/** `checks`: { tenantId, size, seed }, the run's own draw of checks (bench/lib/access-checks.mjs). */
export function runAccessLoad({ url, headers = {}, checks, mode, rate, connections, durationSeconds, warmupSeconds = 0 }) {
  const opts = { url, headers, checks, mode, rate, connections, durationSeconds, warmupSeconds };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, '..', 'workers', 'access-load.mjs'), JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`access load worker failed (${code}): ${err.slice(-500)}`));
      resolve(JSON.parse(out.trim().split('\n').pop()));
    });
  });
}
