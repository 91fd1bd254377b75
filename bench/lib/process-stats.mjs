// CPU time used by processes (Linux /proc), for figures that hold on a noisy machine: CPU
// milliseconds per request do not depend on how much of the machine other work takes.
import * as fs from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** User + system CPU time of a process so far, in ms. */
export function cpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** User + system CPU time of processes so far, in seconds (a process that is gone counts 0). */
export function cpuSeconds(...pids) {
  let ms = 0;
  for (const pid of pids) {
    try {
      ms += cpuMs(pid);
    } catch {
      // exited
    }
  }
  return ms / 1000;
}

/**
 * What each key (a pid, a process name) used between two readings of `cpuSeconds`: taken per key,
 * so one that exited meanwhile is missed (never subtracted) and one born meanwhile counts whole.
 */
export function cpuUsedSince(before, after) {
  const used = new Map();
  for (const [k, v] of after) used.set(k, Math.max(0, v - (before.get(k) ?? 0)));
  return used;
}

/**
 * Runs `work()` and returns its result with `cpuMs`: the CPU ms each process in `pids`
 * ({ name: pid }) used meanwhile, less what it uses when idle (measured for `idleMs` first).
 */
export async function withCpu(pids, work, { idleMs = 2000 } = {}) {
  const read = () => Object.fromEntries(Object.entries(pids).map(([n, p]) => [n, cpuMs(p)]));
  const i0 = read();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, idleMs));
  const i1 = read();
  const idleRate = Object.fromEntries(Object.keys(pids).map((n) => [n, (i1[n] - i0[n]) / (performance.now() - t0)]));
  const b = read();
  const t1 = performance.now();
  const result = await work();
  const a = read();
  const elapsed = performance.now() - t1;
  return { result, cpuMs: Object.fromEntries(Object.keys(pids).map((n) => [n, Math.max(0, a[n] - b[n] - idleRate[n] * elapsed)])) };
}
