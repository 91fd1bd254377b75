import './tracing';
import { loadConfigOrExit } from '@remote-help/service-kit';
import * as fs from 'node:fs';
import { configSpec, crossCheck, SERVICE_NAME } from './config';
import { createGateway } from './gateway';

async function main() {
  process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
  const config = loadConfigOrExit(SERVICE_NAME, configSpec);
  const problem = crossCheck(config);
  if (problem) {
    process.stderr.write(`${SERVICE_NAME}: configuration error: ${problem}\n`);
    process.exit(1);
  }
  for (const v of ['INTERNAL_JWT_PRIVATE_KEY_FILE', 'SUPERGRAPH_PATH'] as const) {
    if (!fs.existsSync(config[v])) {
      process.stderr.write(`${SERVICE_NAME}: configuration error: ${v}: cannot read "${config[v]}"\n`);
      process.exit(1);
    }
  }
  const gateway = await createGateway(config);
  await gateway.listen();
  gateway.shutdown.onSignals(() => gateway.stop());
}

main().catch((e) => {
  process.stderr.write(`${SERVICE_NAME}: failed to start: ${(e as Error).message}\n`);
  process.exit(1);
});
