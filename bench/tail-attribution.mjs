#!/usr/bin/env node
// Where does a latency tail come from? Lines up the slow requests of the access-decision load
// (RH_BENCH_SLOW_LOG, written by bench/workers/access-load.mjs) with what the answering process was
// doing at the time (bench/lib/loop-watch.cjs: its garbage collections and event-loop stalls):
//
//   RH_NODE_FLAGS="--require ./bench/lib/loop-watch.cjs" RH_BENCH_SLOW_LOG=bench/results/slow.jsonl \
//     RH_BENCH_ACCESS_SIZES=1x npm run bench -- access-decision
//   node bench/tail-attribution.mjs [slow.jsonl] [loop-watch dir]
//
// Slow requests that overlap in time form an episode; each episode is put down to the first of:
//   gc        a garbage collection of the answering process overlapped it;
//   machine   the answering process stalled and the load generator was late too (> 2 ms): neither
//             process ran, so the machine did not run them (other work, or the VM not scheduled);
//   process   the answering process stalled alone (not in a GC);
//   neither   nothing seen (the network stack, the generator's own delays after sending).
// Only open-loop ('rate') runs are looked at: in closed-loop runs the queueing is the point.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { percentile } from './lib/stats.mjs';

const slowFile = process.argv[2] ?? 'bench/results/slow.jsonl';
const watchDir = process.argv[3] ?? 'bench/results/loop-watch';
const readLines = (f) =>
  fs
    .readFileSync(f, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

const slow = readLines(slowFile).filter((s) => s.mode === 'rate');
const watches = fs
  .readdirSync(watchDir)
  .filter((f) => f.endsWith('.jsonl'))
  .map((f) => {
    const lines = readLines(path.join(watchDir, f));
    const start = lines.find((l) => l.kind === 'start');
    return { file: f, name: start?.name ?? f, port: start?.port, gcs: lines.filter((l) => l.kind.startsWith('gc')), stalls: lines.filter((l) => l.kind === 'stall') };
  });

const overlaps = (a0, a1, e) => e.t < a1 && e.t + e.ms > a0;
/** The p-th percentile (0-100) of the durations, to 0.1 ms; '-' for none. */
const pct = (events, p) =>
  events.length
    ? Math.round(
        percentile(
          events.map((e) => e.ms),
          p,
        ) * 10,
      ) / 10
    : '-';

const rows = [];
for (const pid of [...new Set(slow.map((s) => s.pid))]) {
  const reqs = slow.filter((s) => s.pid === pid).sort((a, b) => a.t - b.t);
  const port = Number(new URL(reqs[0].url).port);
  const target = watches.find((w) => w.port === port);
  if (!target) {
    console.error(`no loop-watch file for port ${port} (run ${pid}): was the system started with RH_NODE_FLAGS="--require ./bench/lib/loop-watch.cjs"?`);
    continue;
  }
  const episodes = [];
  for (const r of reqs) {
    const e = episodes[episodes.length - 1];
    if (e && r.t <= e.end) Object.assign(e, { end: Math.max(e.end, r.t + r.ms), n: e.n + 1, lag: Math.max(e.lag, r.lag) });
    else episodes.push({ start: r.t, end: r.t + r.ms, n: 1, lag: r.lag });
  }
  const by = { gc: 0, machine: 0, process: 0, neither: 0 };
  for (const e of episodes) {
    const cause = target.gcs.some((g) => overlaps(e.start, e.end, g)) ? 'gc' : target.stalls.some((s) => overlaps(e.start, e.end, s)) ? (e.lag > 2 ? 'machine' : 'process') : 'neither';
    by[cause] += e.n;
  }
  const t0 = reqs[0].t - 1000;
  const t1 = reqs[reqs.length - 1].t + 1000;
  const gcs = target.gcs.filter((g) => g.t >= t0 && g.t <= t1);
  const stalls = target.stalls.filter((s) => s.t >= t0 && s.t <= t1 && !gcs.some((g) => overlaps(s.t, s.t + s.ms, g)));
  rows.push({
    target: target.name,
    run: pid,
    slow: reqs.length,
    episodes: episodes.length,
    'in a GC': by.gc,
    'machine (both late)': by.machine,
    'process stalled alone': by.process,
    neither: by.neither,
    'GCs (minor)': `${gcs.length} (${gcs.filter((g) => g.kind === 'gc-minor').length})`,
    'GC ms p50/max': `${pct(gcs, 50)} / ${pct(gcs, 100)}`,
    'stalls w/o GC': stalls.length,
    'stall ms p50/max': `${pct(stalls, 50)} / ${pct(stalls, 100)}`,
  });
}
console.log(`slow requests (> the worker's RH_BENCH_SLOW_MS) per open-loop run, and what the answering process was doing:`);
console.table(rows);
