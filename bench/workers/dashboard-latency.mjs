// Start-to-dashboard latency in its own process: a graphql-ws dashboard subscribed to
// `activeSessionCount` as the tenant administrator, and a driver of sessions on the same tenant
// (nothing else changes its count). Sessions run in waves: the pairs request and join at once
// (neither changes the count); then the sharers accept one at a time, each accept waiting until
// the dashboard has received a count >= k (the k-th accept of the wave raises it to k; the gateway
// may coalesce into the latest value) before the next, so that no accept queues behind another:
// latency = from the moment its HTTP response is read to the moment that count arrives. Then the
// helpers end the wave's sessions back to back, each measured to the first count <= the expected
// one. The first `warmup` sessions are not counted; every later wave is, whole: a call that fails
// or a count the dashboard does not receive within 15 s fails the run (the wave's sessions are
// ended and the worker exits non-zero with the reason), never a sample dropped and tried again,
// which would keep the worst latencies out of the p99. Input: JSON on stdin
// { gatewayUrl, adminToken, tenantId, kafka: { brokers, topicPrefix }, pairs, sessions, wave, warmup,
// queries }. Output: one JSON line with the raw latencies (ms), and each accept's split into
// hops as seen by a Kafka consumer of its own (see the tap below).
import { createClient } from 'graphql-ws';
import kafkajs from '../../scripts/lib/kafkajs.mjs';
import { graphqlPoster } from '../lib/graphql-post.mjs';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const { gatewayUrl, adminToken, tenantId, kafka, pairs, sessions, wave, warmup = 0, queries } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const post = graphqlPoster(gatewayUrl, pairs.length + 4);

// The dashboard: every count it receives, with the time it arrived.
const received = [];
let waiter = null;
const client = createClient({ url: gatewayUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${adminToken}` }, retryAttempts: 0, lazy: true });
let subscriptionError = null;
client.subscribe(
  { query: 'subscription { activeSessionCount { tenantId count } }' },
  {
    next: (r) => {
      const count = r.data?.activeSessionCount?.count;
      if (typeof count !== 'number') return;
      received.push({ count, at: performance.now() });
      waiter?.();
    },
    error: (e) => {
      subscriptionError = e;
      waiter?.();
    },
    complete: () => undefined,
  },
);

/** The time of the first count received after index `from` that satisfies `ok`. */
async function countSeen(from, ok, timeoutMs = 15_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    for (let i = from; i < received.length; i++) if (ok(received[i].count)) return { index: i, at: received[i].at };
    if (subscriptionError) throw new Error(`the subscription ended: ${JSON.stringify(subscriptionError)}`);
    const left = deadline - performance.now();
    if (left <= 0) throw new Error(`no matching count within ${timeoutMs} ms (last: ${JSON.stringify(received.slice(-3))})`);
    await new Promise((resolve) => {
      const t = setTimeout(resolve, left);
      waiter = () => {
        clearTimeout(t);
        resolve();
      };
    });
    waiter = null;
  }
}

// A tap on Kafka (when given brokers and the topic prefix): when each session's `session.started`
// and each count of this tenant appear there, as seen by a consumer of its own, to split the
// latency into its hops (session-service's outbox relay; reporting-service; the gateway).
const startedOnKafka = new Map();
const countsOnKafka = [];
let tap;
if (kafka) {
  const k = new kafkajs.Kafka({ brokers: kafka.brokers, clientId: `${kafka.topicPrefix}bench-tap`, logLevel: kafkajs.logLevel.NOTHING });
  const groupId = `${kafka.topicPrefix}bench-tap-${process.pid}`;
  const consumer = k.consumer({ groupId, maxWaitTimeInMs: 100, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
  await consumer.connect();
  await consumer.subscribe({ topics: [`${kafka.topicPrefix}remote-help.session.v1`, `${kafka.topicPrefix}remote-help.reporting.v1`], fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const at = performance.now();
      const e = JSON.parse(message.value.toString('utf8'));
      if (e.tenantId?.toLowerCase() !== tenantId.toLowerCase()) return;
      if (e.type === 'session.started') startedOnKafka.set(e.subject, at);
      else if (e.type === 'reporting.active-session-count.changed') countsOnKafka.push({ count: e.data.count, at });
    },
  });
  await joined;
  tap = { consumer, admin: k.admin(), groupId };
}
const hops = { relay: [], reporting: [], gateway: [] };

// The initial count (the subscription starts with the current value): must be 0.
await countSeen(0, (c) => c === 0);
const accept = [];
const end = [];
let cursor = received.length;
let done = 0;

/** One wave of `size` sessions; returns its latencies, or throws (the caller cleans up). */
async function runWave(size, ids) {
  const group = pairs.slice(0, size);
  // Request and join concurrently: neither changes the count.
  await Promise.all(
    group.map(async (p, k) => {
      const { requestSession } = await post(queries.request, { input: { deviceId: p.deviceId, mode: 'VIEW_ONLY', reason: 'bench' } }, p.helperToken);
      if (!requestSession.session) throw new Error(`request denied: ${requestSession.decision.reasons.join(', ')}`);
      ids[k] = requestSession.session.id;
      await post(queries.join, { code: requestSession.session.securityCode }, p.sharerToken);
    }),
  );
  // Each accept waits for the dashboard to show it before the next: no accept queues behind another.
  const waveAccept = [];
  const waveHops = [];
  for (let k = 0; k < size; k++) {
    const kafkaCursor = countsOnKafka.length;
    const { respondToSession } = await post(queries.accept, { id: ids[k] }, group[k].sharerToken);
    const acceptedAt = performance.now();
    if (respondToSession.state !== 'ACTIVE') throw new Error(`accepted session is ${respondToSession.state}`);
    const seenAt = (await countSeen(cursor, (c) => c >= k + 1)).at;
    waveAccept.push(seenAt - acceptedAt);
    if (tap) {
      const started = startedOnKafka.get(ids[k]);
      const counted = countsOnKafka.slice(kafkaCursor).find((c) => c.count >= k + 1)?.at;
      if (started !== undefined && counted !== undefined) waveHops.push({ relay: started - acceptedAt, reporting: counted - started, gateway: seenAt - counted });
    }
  }
  cursor = received.length;
  const endedAt = [];
  for (let k = 0; k < size; k++) {
    await post(queries.end, { id: ids[k] }, group[k].helperToken);
    endedAt.push(performance.now());
  }
  const waveEnd = [];
  for (let k = 0; k < size; k++) waveEnd.push((await countSeen(cursor, (c) => c <= size - k - 1)).at - endedAt[k]);
  cursor = received.length;
  return { waveAccept, waveEnd, waveHops };
}

while (done < warmup + sessions) {
  const size = Math.min(wave, warmup + sessions - done, pairs.length);
  const ids = [];
  try {
    const { waveAccept, waveEnd, waveHops } = await runWave(size, ids);
    if (done >= warmup) {
      accept.push(...waveAccept);
      end.push(...waveEnd);
      for (const h of waveHops) for (const k of Object.keys(hops)) hops[k].push(h[k]);
    }
    done += size;
  } catch (e) {
    // A failed call or a missing update is a failure of the run: end the wave's sessions (so
    // that they do not stay active in the system the next scenario loads) and stop.
    await Promise.all(ids.map((id, k) => id && post(queries.end, { id }, pairs[k].helperToken).catch(() => undefined)));
    process.stderr.write(`start-to-dashboard: a wave failed after ${done} of ${warmup + sessions} sessions (${accept.length} measured): ${e.message}\n`);
    process.exit(1);
  }
}
await client.dispose();
post.close();
if (tap) {
  await tap.consumer.disconnect();
  await tap.admin.connect();
  await tap.admin.deleteGroups([tap.groupId]).catch(() => undefined);
  await tap.admin.disconnect();
}
const r2 = (list) => list.map((x) => Math.round(x * 100) / 100);
process.stdout.write(JSON.stringify({ accept: r2(accept), end: r2(end), hops: Object.fromEntries(Object.entries(hops).map(([k, v]) => [k, r2(v)])), messages: received.length }) + '\n');
