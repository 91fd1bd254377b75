// Preloaded into the system's processes to find out where a latency tail comes from:
//   RH_NODE_FLAGS="--require ./bench/lib/loop-watch.cjs" RH_BENCH_SLOW_LOG=bench/results/slow.jsonl \
//     npm run bench -- access-decision
//   node bench/tail-attribution.mjs
// Every process it is loaded into (all of the system's, or those whose command line contains
// RH_LOOP_WATCH_MATCH) appends to bench/results/loop-watch/<name>-<pid>.jsonl, once a second:
// each garbage collection (its kind, start and duration) and each moment its event loop ran late
// by more than RH_LOOP_WATCH_STALL_MS (default 3 ms; a 1 ms timer, which costs ~1,000 wake-ups a
// second, so this is for experiments, not for figures). Times are absolute (ms since the epoch)
// so that they line up with the load generator's.
const match = process.env.RH_LOOP_WATCH_MATCH;
const main = process.argv[1] ?? '';
if (!match || process.argv.join(' ').includes(match)) {
  const { PerformanceObserver, performance, constants } = require('node:perf_hooks');
  const fs = require('node:fs');
  const path = require('node:path');
  const name = /apps[\\/]([^\\/]+)[\\/]/.exec(main)?.[1] ?? path.basename(main, '.js');
  const dir = process.env.RH_LOOP_WATCH_DIR ?? path.resolve('bench/results/loop-watch');
  const stallMs = Number(process.env.RH_LOOP_WATCH_STALL_MS ?? 3);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${process.pid}.jsonl`);
  const kinds = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'gc-minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'gc-major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'gc-incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'gc-weakcb',
  };
  const out = [{ kind: 'start', name, pid: process.pid, port: Number(process.env.PORT) || null, t: Date.now() }];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) out.push({ kind: kinds[e.detail?.kind] ?? 'gc', t: performance.timeOrigin + e.startTime, ms: e.duration });
  }).observe({ entryTypes: ['gc'] });
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last - 1 > stallMs) out.push({ kind: 'stall', t: performance.timeOrigin + last + 1, ms: now - last - 1 });
    last = now;
  }, 1).unref();
  const flush = () => {
    if (out.length)
      fs.appendFileSync(
        file,
        out
          .splice(0)
          .map((o) => JSON.stringify(o))
          .join('\n') + '\n',
      );
  };
  setInterval(flush, 1000).unref();
  process.once('exit', flush);
}
