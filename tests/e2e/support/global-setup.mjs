// Starts the whole system once per end-to-end run: the four services and the gateway as real
// processes (built output), on free ports, with their own databases, topic prefix and keys, so
// that a run neither sees nor disturbs a running `npm start`. Teardown removes all of it.
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import * as path from 'node:path';
import { ensureKafka } from '../../../scripts/kafka.mjs';
import { ROOT } from '../../../scripts/lib/bootstrap.mjs';
import { GATEWAY, SUBGRAPH_SERVICES } from '../../../scripts/lib/services.mjs';
import { startSystem } from '../../../scripts/lib/system.mjs';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export default async function globalSetup() {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const dataDir = path.join(ROOT, '.data', `e2e-${runId}`);
  const kafka = await ensureKafka({ log: false });
  const databases = Object.fromEntries(SUBGRAPH_SERVICES.map((s) => [s.name, `postgres://postgres@127.0.0.1:5432/rh_e2e_${runId}_${s.name.replace('-service', '')}`]));
  const ports = {};
  for (const name of [GATEWAY.name, ...SUBGRAPH_SERVICES.map((s) => s.name)]) ports[name] = await freePort();
  const system = await startSystem({
    dataDir,
    kafkaBrokers: kafka.brokers,
    topicPrefix: `e2e-${runId}.`,
    databaseUrl: (s) => databases[s.name],
    ports,
    logDir: path.join(dataDir, 'logs'),
    env: { LOG_LEVEL: 'info', OUTBOX_POLL_INTERVAL_MS: '200' },
  });
  globalThis.__RH_E2E__ = { system, kafka, databases, dataDir, topicPrefix: `e2e-${runId}.` };
  Object.assign(process.env, {
    RH_E2E_GATEWAY_URL: system.gatewayUrl,
    RH_E2E_DATA_DIR: dataDir,
    RH_E2E_TOPIC_PREFIX: `e2e-${runId}.`,
    RH_E2E_KAFKA_BROKERS: kafka.brokers,
    RH_E2E_SERVICE_URLS: JSON.stringify(Object.fromEntries(SUBGRAPH_SERVICES.map((s) => [s.name, system.urlOf(s.name)]))),
    RH_E2E_DATABASES: JSON.stringify(databases),
  });
}
