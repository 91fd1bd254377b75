// One load run in its own process (so that the load generator does not share an event loop with
// what it measures). Input: JSON in argv[2] (autocannon options). Output: one JSON line with the
// figures on stdout. autocannon's percentiles have no p95, so the worker also keeps the response
// time of every 2xx response and computes p95 from them (nearest rank; raw times, without the
// coordinated-omission correction autocannon applies to its own percentiles at a fixed rate).
import { percentile as nearestRank } from '../lib/stats.mjs';
import autocannon from 'autocannon';

const opts = JSON.parse(process.argv[2]);
const latencies = [];
const instance = autocannon({ ...opts, setupClient: undefined });
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
});
const result = await instance;
const errors = result.errors + result.timeouts + (result.non2xx ?? 0);
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p95: percentile(latencies, 95),
    p99: result.latency.p99,
    max: result.latency.max,
    errors,
    non2xx: result.non2xx ?? 0,
    durationSeconds: result.duration,
  }) + '\n',
);

/** Nearest-rank percentile of response times (ms, rounded to 0.01); NaN without responses. */
function percentile(values, p) {
  return Math.round(nearestRank(values, p) * 100) / 100;
}
