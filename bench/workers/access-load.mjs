// One load run of access checks, in its own process (so that the load generator does not
// share an event loop with what it measures), over keep-alive HTTP/1.1 connections. Input: JSON in
// argv[2]: { url, headers, checks: { tenantId, size: { users, devices }, seed } (every request a
// check drawn afresh by bench/lib/access-checks.mjs from that seed, warm-up included: none is
// sent twice), mode: 'rate' | 'max', rate (requests/s, mode 'rate'), connections, durationSeconds,
// warmupSeconds }. 'rate' is open-loop: request i is sent at start + i/rate whatever the answers
// (at most `connections` on the wire; more wait for a connection, and that wait counts in their
// latency); 'max' is closed-loop: `connections` callers each send the next request when the
// previous one is answered. Latency is measured with a sub-millisecond clock from the moment the
// request is issued to its last byte; how late the generator's own timer issued requests after
// they were due is reported apart (lagP99), so that it neither hides nor inflates the service's
// latency. In 'rate' mode, requests still unanswered 2 s after the end are cut off and counted as
// `late` (their latency, counted as the time until then, is a lower bound). Output: one JSON line
// with the figures on stdout (and `drawn`, the checks drawn, for the scenario to replay them). With RH_BENCH_SLOW_LOG set (a file), each recorded request slower than
// RH_BENCH_SLOW_MS (default 5) is also appended there once the run is over, with its absolute issue
// time, for bench/tail-attribution.mjs.
import { checkBody, checkDrawer } from '../lib/access-checks.mjs';
import { percentile } from '../lib/stats.mjs';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';

const opts = JSON.parse(process.argv[2]);
const draw = checkDrawer(opts.checks.size, opts.checks.seed);
let drawn = 0;
const nextBody = () => {
  drawn++;
  return Buffer.from(checkBody(opts.checks.tenantId, draw()));
};
const url = new URL(opts.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections, maxFreeSockets: opts.connections });
/** Requests on the wire or waiting for a connection; and whether the run is over and they are being cut off. */
const pending = new Set();
let cutting = false;
/** How long requests issued in the run may still take after its end before they are cut off. */
const GRACE_MS = 2000;
/** Slow requests, kept for RH_BENCH_SLOW_LOG. */
const slowLog = process.env.RH_BENCH_SLOW_LOG;
const slowMs = Number(process.env.RH_BENCH_SLOW_MS ?? 5);
const slow = [];

function send(body) {
  return new Promise((resolve) => {
    const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length, ...opts.headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const ok = res.statusCode === 200 && !text.includes('"errors"');
        resolve({ ok, allowed: ok && text.includes('"allowed":true'), error: ok ? null : `${res.statusCode} ${text.slice(0, 300)}` });
      });
      res.on('error', (e) => resolve({ ok: false, allowed: false, error: e.message }));
    });
    req.on('error', (e) => resolve({ ok: false, allowed: false, error: e.message }));
    req.on('close', () => pending.delete(req));
    pending.add(req);
    req.end(body);
  });
}

async function run(seconds, record) {
  const latencies = [];
  const lags = [];
  const tally = { requests: 0, errors: 0, allowed: 0, late: 0, firstError: null };
  const one = async (due) => {
    const body = nextBody();
    const issued = performance.now();
    const r = await send(body);
    const ms = performance.now() - issued;
    if (!record) return;
    lags.push(issued - due);
    if (slowLog && ms > slowMs) slow.push({ t: performance.timeOrigin + issued, ms, lag: issued - due, url: opts.url, mode: opts.mode, pid: process.pid });
    tally.requests++;
    if (!r.ok && cutting) {
      // Cut off GRACE_MS after the end: its latency is at least this much (a lower bound).
      tally.late++;
      latencies.push(ms);
      return;
    }
    if (!r.ok) {
      tally.errors++;
      tally.firstError ??= r.error;
      return;
    }
    if (r.allowed) tally.allowed++;
    latencies.push(ms);
  };
  const start = performance.now();
  const end = start + seconds * 1000;
  if (opts.mode === 'rate') {
    const interval = 1000 / opts.rate;
    const inFlight = new Set();
    let i = 0;
    await new Promise((resolve) => {
      const tick = () => {
        const now = performance.now();
        for (let due = start + i * interval; due <= now && due < end; due = start + ++i * interval) {
          const p = one(due).finally(() => inFlight.delete(p));
          inFlight.add(p);
        }
        if (start + i * interval < end) setTimeout(tick, Math.max(0, Math.min(1, start + i * interval - performance.now())));
        else resolve();
      };
      tick();
    });
    // An overloaded target leaves requests queued: give them GRACE_MS, then cut them off.
    const grace = setTimeout(() => {
      cutting = true;
      for (const req of pending) req.destroy(new Error('cut off after the run'));
    }, GRACE_MS);
    await Promise.all(inFlight);
    clearTimeout(grace);
    cutting = false;
  } else {
    await Promise.all(
      Array.from({ length: opts.connections }, async () => {
        while (performance.now() < end) await one(performance.now());
      }),
    );
  }
  const elapsed = Math.min(performance.now() - start, seconds * 1000 + GRACE_MS) / 1000;
  return { ...tally, latencies, lags, elapsed };
}

if (opts.warmupSeconds > 0) await run(opts.warmupSeconds, false);
const r = await run(opts.durationSeconds, true);
agent.destroy();
if (slowLog && slow.length) fs.appendFileSync(slowLog, slow.map((x) => JSON.stringify(x)).join('\n') + '\n');
const sorted = Float64Array.from(r.latencies).sort();
const pctOf = (list, p) => round(percentile(list, p));
const pct = (p) => pctOf(sorted, p);
const lags = r.lags;
process.stdout.write(
  JSON.stringify({
    requests: r.requests,
    rps: round((r.requests - r.errors - r.late) / r.elapsed),
    p50: pct(50),
    p90: pct(90),
    p99: pct(99),
    max: sorted.length ? round(sorted[sorted.length - 1]) : NaN,
    errors: r.errors,
    late: r.late,
    firstError: r.firstError,
    allowedShare: r.requests ? round(r.allowed / Math.max(1, r.requests - r.errors - r.late)) : 0,
    durationSeconds: round(r.elapsed),
    lagP99: opts.mode === 'rate' ? pctOf(lags, 99) : 0,
    drawn,
  }) + '\n',
);

function round(n) {
  return Math.round(n * 100) / 100;
}
