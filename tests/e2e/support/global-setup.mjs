// Starts the whole system once per end-to-end run: the four services and the gateway as real
// processes (built output), on free ports, with their own databases, topic prefix and keys, so
// that a run neither sees nor disturbs a running `npm start`. Teardown removes all of it.
// The processes run with tracing on, sending their spans to a Zipkin server of the run's own
// (scripts/zipkin.mjs, from Maven Central): every e2e test runs traced, and traces.e2e-spec.ts
// reads the traces back from Zipkin's API.
import * as http from 'node:http';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, startIsolatedSystem } from '../../../scripts/lib/isolated-system.mjs';
import { ROOT } from '../../../scripts/lib/bootstrap.mjs';
import { startZipkin } from '../../../scripts/zipkin.mjs';
import { GATEWAY, SUBGRAPH_SERVICES } from '../../../scripts/lib/services.mjs';
import { E2E_ENV, E2E_ENV_FOR } from './e2e-env.mjs';

const require = createRequire(import.meta.url);

async function expectDatabasesOn(databases, port) {
  const { Client } = require('pg');
  for (const [service, url] of Object.entries(databases)) {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      const { rows } = await c.query('SHOW port');
      if (rows[0].port !== port) throw new Error(`${service}'s database ${url} is on the server of port ${rows[0].port}, not the expected ${port}`);
    } finally {
      await c.end();
    }
  }
}

export default async function globalSetup() {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  // Zipkin starts beside the system (the spans of the first seconds wait in the processes' buffers).
  const zipkinPort = await freePort();
  const zipkinUrl = `http://127.0.0.1:${zipkinPort}`;
  const zipkinLog = path.join(ROOT, '.data', `zipkin-e2e-${zipkinPort}.log`);
  fs.mkdirSync(path.dirname(zipkinLog), { recursive: true });
  const zipkinStarting = startZipkin({ port: zipkinPort, logFile: zipkinLog, log: () => undefined });
  zipkinStarting.catch(() => undefined);
  const tracing = { OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${zipkinUrl}/api/v2/spans`, OTEL_BSP_SCHEDULE_DELAY: '200' };
  // A broker of the run's own, so that a test can stop it (kafka-outage.e2e-spec.ts).
  let run;
  try {
    run = await startIsolatedSystem({ label: 'e2e', env: { ...E2E_ENV, ...tracing }, envFor: E2E_ENV_FOR, keep: !!process.env.RH_KEEP_E2E_DATA, ownKafka: true });
  } catch (e) {
    await zipkinStarting.then(
      (z) => z.stop(),
      () => undefined,
    );
    throw e;
  }
  globalThis.__RH_E2E__ = run;
  try {
    const zipkin = await zipkinStarting;
    const cleanup = run.cleanup;
    run.cleanup = async () => {
      await cleanup();
      await zipkin.stop();
      if (!process.env.RH_KEEP_E2E_DATA) fs.rmSync(zipkinLog, { force: true });
    };
  } catch (e) {
    await run.cleanup(); // Jest runs no teardown after a failed setup
    throw e;
  }
  // `npm test`'s e2e-embedded-postgres part: every database must be on the embedded server it started.
  if (process.env.RH_E2E_EXPECT_POSTGRES_PORT) {
    await expectDatabasesOn(run.databases, process.env.RH_E2E_EXPECT_POSTGRES_PORT).catch(async (e) => {
      await run.cleanup(); // Jest runs no teardown after a failed setup
      throw e;
    });
  }
  // Tests stop and start the system's processes and its broker through this small control
  // endpoint (the system lives in this process): POST /processes/<name>/stop?signal=SIGKILL
  // (answers the exit code), /processes/<name>/start, /processes/kafka/stop,
  // /processes/kafka/start; POST /replicas/<name>/<n> with a JSON body `{ env }` starts another
  // replica `<name>~<n>` (answers `{ name, url, metricsUrl }`), stopped like the others.
  const control = http.createServer(async (req, res) => {
    const m = /^\/processes\/([a-z-]+(?:~\d+)?)\/(stop|start)/.exec(req.url ?? '');
    const replica = /^\/replicas\/([a-z-]+)\/(\d+)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !(m || replica)) return void res.writeHead(404).end();
    try {
      if (replica) {
        let body = '';
        for await (const chunk of req) body += chunk;
        const { env = {} } = body ? JSON.parse(body) : {};
        const name = await run.system.startReplica(replica[1], replica[2], { port: await freePort(), metricsPort: await freePort(), env });
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name, url: run.system.urlOf(name), metricsUrl: run.system.metricsUrlOf(name) }));
      }
      let answer = 'ok';
      if (m[1] === 'kafka') await (m[2] === 'stop' ? run.kafka.pause() : run.kafka.resume());
      else if (m[2] === 'stop') answer = String(await run.system.stopOne(m[1], new URL(req.url, 'http://x').searchParams.get('signal') ?? 'SIGTERM'));
      else await run.system.start(m[1]);
      res.writeHead(200).end(answer);
    } catch (e) {
      res.writeHead(500).end(String(e.message));
    }
  });
  await new Promise((r) => control.listen(0, '127.0.0.1', r));
  run.control = control;
  Object.assign(process.env, {
    RH_E2E_GATEWAY_URL: run.system.gatewayUrl,
    RH_E2E_DATA_DIR: run.dataDir,
    RH_E2E_TOPIC_PREFIX: run.topicPrefix,
    RH_E2E_KAFKA_BROKERS: run.kafka.brokers,
    RH_E2E_SERVICE_URLS: JSON.stringify(Object.fromEntries(SUBGRAPH_SERVICES.map((s) => [s.name, run.system.urlOf(s.name)]))),
    RH_E2E_METRICS_URLS: JSON.stringify(Object.fromEntries([GATEWAY, ...SUBGRAPH_SERVICES].map((s) => [s.name, run.system.metricsUrlOf(s.name)]))),
    RH_E2E_DATABASES: JSON.stringify(run.databases),
    RH_E2E_CONTROL_URL: `http://127.0.0.1:${control.address().port}`,
    RH_E2E_ZIPKIN_URL: zipkinUrl,
  });
}
