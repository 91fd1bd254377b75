// Session load in its own process: P helper/sharer pairs, each looping full attended sessions
// through the gateway (helper requestSession -> sharer joinSession with the code -> sharer
// respondToSession(accept) -> helper endSession) for D seconds, over keep-alive HTTP connections.
// Input: JSON on stdin { gatewayUrl, pairs: [{ helperToken, sharerToken, deviceId }],
// durationSeconds, queries }. No pair starts a session after D seconds; sessions in flight then
// are finished and counted, over the time until the last one ended (elapsedSeconds). Output: one
// JSON line on stdout: completed sessions, errors, elapsed time, the raw latencies (ms) of each
// step and of whole sessions, and this process's CPU use (to show whether the load generator
// itself was the bottleneck).
import { graphqlPoster } from '../lib/graphql-post.mjs';
import { performance } from 'node:perf_hooks';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const { gatewayUrl, pairs, durationSeconds, queries } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const post = graphqlPoster(gatewayUrl, pairs.length + 4);

const latencies = { request: [], join: [], accept: [], end: [], session: [] };
const errorSamples = [];
let errors = 0;
let completed = 0;
const startedAt = performance.now();
const stopAt = startedAt + durationSeconds * 1000;
const cpu0 = process.cpuUsage();

async function timed(step, query, variables, token) {
  const t0 = performance.now();
  const data = await post(query, variables, token);
  latencies[step].push(performance.now() - t0);
  return data;
}

async function loop(p) {
  while (performance.now() < stopAt) {
    const t0 = performance.now();
    let id = null;
    try {
      const { requestSession } = await timed('request', queries.request, { input: { deviceId: p.deviceId, mode: 'VIEW_ONLY', reason: 'bench' } }, p.helperToken);
      if (!requestSession.session) throw new Error(`request denied: ${requestSession.decision.reasons.join(', ')}`);
      id = requestSession.session.id;
      await timed('join', queries.join, { code: requestSession.session.securityCode }, p.sharerToken);
      const { respondToSession } = await timed('accept', queries.accept, { id }, p.sharerToken);
      if (respondToSession.state !== 'ACTIVE') throw new Error(`accepted session is ${respondToSession.state}`);
      const { endSession } = await timed('end', queries.end, { id }, p.helperToken);
      id = null;
      if (endSession.state !== 'ENDED') throw new Error(`ended session is ${endSession.state}`);
      completed++;
      latencies.session.push(performance.now() - t0);
    } catch (e) {
      errors++;
      if (errorSamples.length < 5) errorSamples.push(e.message);
      // Leave no live session behind (the helper ends it), then go on.
      if (id) await post(queries.end, { id }, p.helperToken).catch(() => undefined);
    }
  }
}

await Promise.all(pairs.map(loop));
const elapsedSeconds = (performance.now() - startedAt) / 1000;
const cpu = process.cpuUsage(cpu0);
post.close();
const round = (list) => list.map((x) => Math.round(x * 100) / 100);
process.stdout.write(
  JSON.stringify({
    completed,
    errors,
    errorSamples,
    windowSeconds: durationSeconds,
    elapsedSeconds,
    cpuPercent: Math.round(((cpu.user + cpu.system) / 1e6 / elapsedSeconds) * 1000) / 10,
    latencies: Object.fromEntries(Object.entries(latencies).map(([k, v]) => [k, round(v)])),
  }) + '\n',
);
