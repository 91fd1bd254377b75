// Scenario 8: the CSV export of 1,000,000 Remote Help session records streamed through the
// gateway (GET /exports/remote-help-sessions.csv, the tenant administrator's bearer token; the
// file reporting-service writes from a PostgreSQL cursor, passed through as it comes). The records
// are seeded with SQL as scenario 6 (reporting.mjs) seeds them. The download is read as it arrives
// and its rows counted, never held. Meanwhile the resident memory (VmRSS) of the gateway and of
// reporting-service is sampled every 100 ms; growth = a sample less the largest of the samples in
// the second before the download. Figures: rows/s, MiB/s, peak growth of each process, and the
// gateway's growth over the last quarter of the download against the first (flat: no growth with
// the rows sent). Target: the gateway's peak growth at most 64 MiB (the file is about 330 MiB).
import { createRequire } from 'node:module';
import { rssMiB } from '../lib/load.mjs';
import { seed } from './reporting.mjs';

const require = createRequire(import.meta.url);
const pg = require('pg');

const MAX_GATEWAY_GROWTH_MIB = 64;

export default {
  name: 'csv-export',
  description: '1,000,000 session records streamed as CSV through the gateway: rows/s, gateway and reporting-service RSS sampled during the download',
  async run(ctx) {
    const records = ctx.quick ? 5_000 : 1_000_000;
    const t = await ctx.newTenant();
    const db = new pg.Client({ connectionString: ctx.run.databases['reporting-service'] });
    await db.connect();
    const seeded = Date.now();
    try {
      await seed(db, t.tenantId, records);
    } finally {
      await db.end();
    }
    const seedSeconds = round((Date.now() - seeded) / 1000);
    const pids = { gateway: ctx.run.system.pidOf('gateway'), reporting: ctx.run.system.pidOf('reporting-service') };
    const sample = async () => ({ at: performance.now(), gateway: await rssMiB(pids.gateway), reporting: await rssMiB(pids.reporting) });
    const samples = [];
    const startSampling = () => {
      const timer = setInterval(async () => samples.push(await sample()), 100);
      return () => clearInterval(timer);
    };
    // Before: one second at rest.
    const rest = startSampling();
    await new Promise((r) => setTimeout(r, 1000));
    rest();
    const before = { gateway: Math.max(...samples.map((s) => s.gateway)), reporting: Math.max(...samples.map((s) => s.reporting)) };
    samples.length = 0;

    const url = new URL('/exports/remote-help-sessions.csv', ctx.run.system.gatewayUrl);
    url.searchParams.set('from', new Date(Date.now() - 30 * 86_400_000).toISOString());
    const stop = startSampling();
    const t0 = performance.now();
    let lines = 0;
    let bytes = 0;
    try {
      const res = await fetch(url, { headers: { authorization: `Bearer ${t.adminToken}` } });
      if (!res.ok) throw new Error(`the export answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      for await (const chunk of res.body) {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      }
    } finally {
      stop();
    }
    const seconds = (performance.now() - t0) / 1000;
    const rows = lines - 1; // the header row
    if (rows !== records) throw new Error(`the export has ${rows} rows, not the ${records} records of the tenant`);
    if (!samples.length) samples.push(await sample());
    const growth = (k, list = samples) => round(Math.max(...list.map((s) => s[k])) - before[k]);
    const quarter = Math.max(1, Math.floor(samples.length / 4));
    const first = samples.slice(0, quarter);
    const last = samples.slice(-quarter);
    const gatewayPeak = growth('gateway');
    const row = {
      scenario: 'csv-export',
      records,
      seedSeconds,
      seconds: round(seconds),
      rowsPerSecond: Math.round(rows / seconds),
      mibPerSecond: round(bytes / 2 ** 20 / seconds),
      fileMiB: round(bytes / 2 ** 20),
      samples: samples.length,
      gatewayRssBeforeMiB: before.gateway,
      gatewayPeakGrowthMiB: gatewayPeak,
      gatewayLastVsFirstQuarterMiB: round(Math.max(...last.map((s) => s.gateway)) - Math.max(...first.map((s) => s.gateway))),
      reportingRssBeforeMiB: before.reporting,
      reportingPeakGrowthMiB: growth('reporting'),
    };
    return {
      rows: [row],
      ratios: { gatewayGrowthVsFile: round(gatewayPeak / Math.max(row.fileMiB, 0.01)) },
      targets: { [`gateway RSS grows at most ${MAX_GATEWAY_GROWTH_MIB} MiB while ${records.toLocaleString('en')} rows stream`]: gatewayPeak <= MAX_GATEWAY_GROWTH_MIB },
    };
  },
};

const round = (n) => Math.round(n * 100) / 100;
