// How fast this machine is at the three things a session's cost is made of, measured before the
// system starts, so that figures taken on different machines (or on one machine on a slower day)
// can be told apart: plain computing, handing a message to another process and back (the kernel
// wake-ups every hop between the system's processes costs), and a PostgreSQL round trip.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { median } from './load.mjs';
import { postgresServerUrl } from '../../scripts/lib/postgres-server.mjs';

const require = createRequire(import.meta.url);

/** Nanoseconds per iteration of a fixed integer loop (the median of 5 runs). */
function jsLoopNs(iterations) {
  const runs = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    let x = 0;
    for (let i = 0; i < iterations; i++) x = (x * 31 + i) | 0;
    runs.push(Number(process.hrtime.bigint() - t0) / iterations);
    if (x === 0.5) throw new Error('unreachable'); // keeps x alive
  }
  return median(runs);
}

/** Microseconds per round trip of one byte to a child process and back over pipes. */
function processRoundTripUs(roundTrips) {
  const echo = 'process.stdin.on("data", (b) => process.stdout.write(b))';
  const child = spawn(process.execPath, ['-e', echo], { stdio: ['pipe', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let left = roundTrips + 200; // the first 200 warm up
    let t0;
    child.on('error', reject);
    child.stdout.on('data', () => {
      if (--left === roundTrips) t0 = process.hrtime.bigint();
      if (left > 0) child.stdin.write('x');
      else {
        resolve(Number(process.hrtime.bigint() - t0) / 1000 / roundTrips);
        child.kill();
      }
    });
    child.stdin.write('x');
  });
}

/** Microseconds per `SELECT 1` on one connection to the local PostgreSQL. */
async function pgRoundTripUs(queries) {
  const { Client } = require('pg');
  const pg = new Client({ connectionString: `${postgresServerUrl()}/postgres` });
  await pg.connect();
  try {
    for (let i = 0; i < 200; i++) await pg.query('SELECT 1');
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < queries; i++) await pg.query('SELECT 1');
    return Number(process.hrtime.bigint() - t0) / 1000 / queries;
  } finally {
    await pg.end();
  }
}

/** The machine's speed figures (smaller is faster). */
export async function machineSpeed({ quick }) {
  const n = quick ? 500 : 5000;
  const round2 = (v) => Math.round(v * 100) / 100;
  return {
    jsLoopNsPerIteration: round2(jsLoopNs(quick ? 2e7 : 1e8)),
    processRoundTripUs: round2(await processRoundTripUs(n)),
    postgresRoundTripUs: round2(await pgRoundTripUs(n)),
  };
}
