// A process of graphql-ws clients for the dashboard fan-out scenario (forked with IPC, so that
// the clients never share an event loop with the harness or the gateway). Input: JSON in argv[2]
// { url, clients, query, concurrency }, then { type: 'open', tokens } from the parent (client i's
// bearer token is tokens[i]). It opens `clients` graphql-ws connections (at most
// `concurrency` connecting at once; a refused one is tried again, at most 3 times), subscribes
// each to `query` (activeSessionCount), and reports
// { type: 'ready' } once every client has its first payload (the current count: the subscription
// is live on the gateway). Then, for each { type: 'expect', seq, count } from the parent, it
// answers { type: 'armed', seq }, records the wall-clock receive time (performance.timeOrigin +
// performance.now(), comparable across processes on one machine) of each client's first payload
// carrying that count, and sends { type: 'got', seq, times } when every client has it (or on
// { type: 'collect', seq }, with null for the clients that have not). { type: 'close' } ends it.
import { createClient } from 'graphql-ws';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const opts = JSON.parse(process.argv[2]);
const { tokens } = await new Promise((resolve) => {
  const first = (msg) => {
    if (msg?.type !== 'open') return;
    process.off('message', first);
    resolve(msg);
  };
  process.on('message', first);
});
const wallNow = () => performance.timeOrigin + performance.now();
const send = (msg) => process.send(msg);

const clients = [];
const subscribed = new Uint8Array(opts.clients);
let subscribedCount = 0;
let closedAfterReady = 0;
let retries = 0;
let ready = false;
const errors = new Map();
let expectation; // { seq, count, times: Float64Array, remaining }

function noteError(what) {
  const key = String(what).slice(0, 200);
  errors.set(key, (errors.get(key) ?? 0) + 1);
}

function onPayload(i, result) {
  if (result.errors?.length) {
    noteError(result.errors[0].message);
    return;
  }
  const count = result.data?.activeSessionCount?.count;
  if (!subscribed[i]) {
    subscribed[i] = 1;
    subscribedCount++;
    return;
  }
  const e = expectation;
  if (!e || count !== e.count || !Number.isNaN(e.times[i])) return;
  e.times[i] = wallNow();
  if (--e.remaining === 0) report(e);
}

function report(e) {
  expectation = undefined;
  send({ type: 'got', seq: e.seq, times: Array.from(e.times, (t) => (Number.isNaN(t) ? null : t)) });
}

/** Opens client i; a refused subscription is tried again (as a dashboard would), at most 3 times. */
async function open(i) {
  for (let attempt = 1; ; attempt++) {
    const ok = await openOnce(i);
    if (ok || attempt === 3) return;
    retries++;
    await clients[i].dispose();
    await new Promise((r) => setTimeout(r, 200 * attempt));
  }
}

function openOnce(i) {
  return new Promise((resolve) => {
    let settled = false;
    const settle = () => {
      if (!settled) {
        settled = true;
        resolve(subscribed[i] === 1);
      }
    };
    const client = createClient({
      url: opts.url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${tokens[i]}` },
      retryAttempts: 0,
      lazy: true,
      keepAlive: 0,
      on: {
        closed: (ev) => {
          if (ready) closedAfterReady++;
          if (!subscribed[i]) noteError(`closed ${ev?.code ?? ''} ${ev?.reason ?? ''}`);
          settle();
        },
      },
    });
    clients[i] = client;
    client.subscribe(
      { query: opts.query },
      {
        next: (r) => {
          onPayload(i, r);
          if (subscribed[i]) settle();
        },
        error: (err) => {
          noteError(Array.isArray(err) ? err[0]?.message : (err?.message ?? err?.reason ?? err));
          settle();
        },
        complete: () => settle(),
      },
    );
  });
}

const t0 = wallNow();
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(opts.concurrency, opts.clients) }, async () => {
    while (next < opts.clients) await open(next++);
  }),
);
ready = true;
send({ type: 'ready', subscribed: subscribedCount, failed: opts.clients - subscribedCount, retries, openMs: wallNow() - t0, errors: Object.fromEntries(errors) });

process.on('message', async (msg) => {
  if (msg.type === 'expect') {
    expectation = { seq: msg.seq, count: msg.count, times: new Float64Array(opts.clients).fill(NaN), remaining: subscribedCount };
    send({ type: 'armed', seq: msg.seq });
    if (expectation.remaining === 0) report(expectation);
  } else if (msg.type === 'collect') {
    if (expectation?.seq === msg.seq) report(expectation);
  } else if (msg.type === 'status') {
    send({ type: 'status', closedAfterReady, errors: Object.fromEntries(errors) });
  } else if (msg.type === 'close') {
    await Promise.all(clients.map((c) => c.dispose()));
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
