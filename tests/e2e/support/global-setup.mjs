// Starts the whole system once per end-to-end run: the four services and the gateway as real
// processes (built output), on free ports, with their own databases, topic prefix and keys, so
// that a run neither sees nor disturbs a running `npm start`. Teardown removes all of it.
import { startIsolatedSystem } from '../../../scripts/lib/isolated-system.mjs';
import { SUBGRAPH_SERVICES } from '../../../scripts/lib/services.mjs';
import { E2E_ENV, E2E_ENV_FOR } from './e2e-env.mjs';

export default async function globalSetup() {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  const run = await startIsolatedSystem({ label: 'e2e', env: E2E_ENV, envFor: E2E_ENV_FOR, keep: !!process.env.RH_KEEP_E2E_DATA });
  globalThis.__RH_E2E__ = run;
  Object.assign(process.env, {
    RH_E2E_GATEWAY_URL: run.system.gatewayUrl,
    RH_E2E_DATA_DIR: run.dataDir,
    RH_E2E_TOPIC_PREFIX: run.topicPrefix,
    RH_E2E_KAFKA_BROKERS: run.kafka.brokers,
    RH_E2E_SERVICE_URLS: JSON.stringify(Object.fromEntries(SUBGRAPH_SERVICES.map((s) => [s.name, run.system.urlOf(s.name)]))),
    RH_E2E_DATABASES: JSON.stringify(run.databases),
  });
}
