// One load run in its own process (so that the load generator does not share an event loop with
// what it measures). Input: JSON in argv[2] (autocannon options). Output: one JSON line with the
// figures on stdout; errors count failed and timed-out requests, non-2xx answers and answers
// carrying GraphQL errors. autocannon's percentiles have no p95, so the worker also keeps the response
// time of every 2xx response and computes p95 from them (nearest rank; raw times, without the
// coordinated-omission correction autocannon applies to its own percentiles at a fixed rate).
// With `variantsFile` (a JSON array of { body, authorization, expect? }), the requests take those
// bodies and bearer headers in turn, one after the other across all connections (so that no two
// connections send the same request at the same moment), instead of one body and one header. A
// variant's `expect` is text its answer must contain (e.g. the caller's own tenant id): an answer
// without it (another caller's) is an error too.
import * as fs from 'node:fs';
import { percentile as nearestRank } from '../lib/stats.mjs';
import autocannon from 'autocannon';

const { variantsFile, ...opts } = JSON.parse(process.argv[2]);
if (variantsFile) {
  const variants = JSON.parse(fs.readFileSync(variantsFile, 'utf8')).map((v) => ({ body: typeof v.body === 'string' ? v.body : JSON.stringify(v.body), authorization: v.authorization, expect: v.expect }));
  if (!variants.length) throw new Error(`no request variants in ${variantsFile}`);
  if ((opts.pipelining ?? 1) !== 1 && variants.some((v) => v.expect !== undefined)) throw new Error('answers are checked against their variant only without pipelining');
  let next = Math.floor(Math.random() * variants.length);
  opts.requests = [
    {
      // `context` is the connection's: it holds the variant of the one request in flight on it.
      setupRequest: (req, context) => {
        const v = variants[next++ % variants.length];
        context.expect = v.expect;
        return { ...req, body: v.body, headers: { ...req.headers, ...(v.authorization ? { authorization: v.authorization } : {}) } };
      },
      onResponse: (status, body, context) => {
        if (status < 200 || status >= 300) {
          firstError ??= `HTTP ${status}: ${String(body).slice(0, 300)}`;
          return;
        }
        if (context.expect === undefined || String(body).includes(context.expect)) return;
        foreignAnswers++;
        firstError ??= `an answer without ${context.expect}, another caller's: ${String(body).slice(0, 300)}`;
      },
    },
  ];
}
const latencies = [];
// A GraphQL error comes in a 200: every answer's body is checked for one (an error, not a sample).
let firstError = null;
let foreignAnswers = 0;
const instance = autocannon({ ...opts, setupClient: undefined, verifyBody: (body) => !String(body).includes('"errors"') });
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
});
instance.on('reqMismatch', (body) => (firstError ??= String(body).slice(0, 300)));
const result = await instance;
const errors = result.errors + result.timeouts + (result.non2xx ?? 0) + (result.mismatches ?? 0) + foreignAnswers;
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
    timeouts: result.timeouts,
    graphqlErrors: result.mismatches ?? 0,
    foreignAnswers,
    firstError,
    durationSeconds: result.duration,
  }) + '\n',
);

/** Nearest-rank percentile of response times (ms, rounded to 0.01); NaN without responses. */
function percentile(values, p) {
  return Math.round(nearestRank(values, p) * 100) / 100;
}
