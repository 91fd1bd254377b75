// Starts a bench worker (bench/workers/*.mjs) in its own process, hands it its input as JSON on
// stdin (tokens for hundreds of users do not fit in argv) and returns the JSON line it prints last.
// Also: percentiles over raw latency samples.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export function runWorker(name, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', path.join(here, '..', 'workers', name)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`worker ${name} failed (${code}): ${err.slice(-800)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()));
      } catch (e) {
        reject(new Error(`worker ${name} printed no result: ${e.message}; ${err.slice(-500)}`));
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}

export { percentile } from './stats.mjs';

export const round1 = (n) => Math.round(n * 10) / 10;

export { cpuSeconds } from './process-stats.mjs';
