// One load run in its own process (so that the load generator does not share an event loop with
// what it measures). Input: JSON in argv[2] (autocannon options). Output: one JSON line with the
// figures on stdout.
import autocannon from 'autocannon';

const opts = JSON.parse(process.argv[2]);
const result = await autocannon({ ...opts, setupClient: undefined });
const errors = result.errors + result.timeouts + (result.non2xx ?? 0);
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors,
    non2xx: result.non2xx ?? 0,
    durationSeconds: result.duration,
  }) + '\n',
);
