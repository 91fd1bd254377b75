// A pool of graphql-ws client processes (bench/workers/ws-clients.mjs) for the dashboard
// fan-out scenario: opens N subscribed clients spread over several processes, then, per change,
// arms every process with the count to expect, lets the caller make the change, and gathers every
// client's wall-clock receive time.
import { percentile } from './stats.mjs';
import { fork } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const WORKER = path.join(here, '..', 'workers', 'ws-clients.mjs');

/**
 * Opens `clients` subscribed clients in ceil(clients / perWorker) processes; resolves once all are
 * live. Client i connects with tokens[i % tokens.length].
 */
export async function openClientPool({ url, tokens, query, clients, perWorker = 2500, concurrency = 50, timeoutMs = 300_000 }) {
  if (!tokens?.length) throw new Error('openClientPool: no tokens');
  const n = Math.max(1, Math.ceil(clients / perWorker));
  const shares = Array.from({ length: n }, (_, i) => Math.floor(clients / n) + (i < clients % n ? 1 : 0));
  let first = 0;
  const workers = shares.map((share) => {
    const child = fork(WORKER, [JSON.stringify({ url, query, clients: share, concurrency })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    // The tokens by IPC: thousands of them do not fit in argv.
    child.send({ type: 'open', tokens: Array.from({ length: share }, (_, k) => tokens[(first + k) % tokens.length]) });
    first += share;
    const waiters = [];
    child.on('message', (msg) => {
      const i = waiters.findIndex((w) => w.match(msg));
      if (i >= 0) waiters.splice(i, 1)[0].resolve(msg);
    });
    child.on('exit', (code) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`a ws-clients worker exited (${code})`));
    });
    const waitFor = (match, ms, what) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`ws-clients worker: no ${what} within ${ms} ms`)), ms);
        waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)), reject: (e) => (clearTimeout(timer), reject(e)) });
      });
    return { child, share, waitFor };
  });
  const t0 = Date.now();
  let readies;
  try {
    readies = await Promise.all(workers.map((w) => w.waitFor((m) => m.type === 'ready', timeoutMs, 'ready')));
  } catch (e) {
    for (const w of workers) w.child.kill('SIGTERM');
    throw e;
  }
  const subscribed = readies.reduce((a, r) => a + r.subscribed, 0);
  const errors = {};
  for (const r of readies) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  let seq = 0;

  return {
    workers: n,
    subscribed,
    failed: clients - subscribed,
    retries: readies.reduce((a, r) => a + r.retries, 0),
    errors,
    openSeconds: (Date.now() - t0) / 1000,
    /**
     * Arms every process for `count`, runs `change()` (which returns the wall-clock ms at which
     * the change was made), and returns each client's delay in ms (null: not received in time).
     */
    async measureChange(count, change, { timeoutMs = 30_000 } = {}) {
      const s = ++seq;
      await Promise.all(
        workers.map((w) => {
          const armed = w.waitFor((m) => m.type === 'armed' && m.seq === s, 10_000, 'armed');
          w.child.send({ type: 'expect', seq: s, count });
          return armed;
        }),
      );
      const gots = workers.map((w) => w.waitFor((m) => m.type === 'got' && m.seq === s, timeoutMs + 10_000, 'result'));
      const at = await change();
      const timer = setTimeout(() => workers.forEach((w) => w.child.connected && w.child.send({ type: 'collect', seq: s })), timeoutMs);
      try {
        const results = await Promise.all(gots);
        return results.flatMap((r) => r.times.map((t) => (t === null ? null : t - at)));
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise((resolve) => {
              if (w.child.exitCode !== null || !w.child.connected) return resolve();
              const kill = setTimeout(() => w.child.kill('SIGKILL'), 15_000);
              w.child.once('exit', () => (clearTimeout(kill), resolve()));
              w.child.send({ type: 'close' });
            }),
        ),
      );
    },
  };
}

/** The q-quantile (0..1) of a list of numbers, nearest rank. */
export function quantile(values, q) {
  return percentile(values, q * 100);
}
