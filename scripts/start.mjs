#!/usr/bin/env node
// `npm start`: installs what is missing, starts Kafka if none is reachable, builds, creates and
// migrates the databases, starts the four services and the gateway (logs prefixed by name),
// prints the URLs, and stops everything on Ctrl-C.
import { build, ensureToolchain, fail, log, ROOT, run } from './lib/bootstrap.mjs';

ensureToolchain(import.meta.url);

const path = await import('node:path');
const { ensureKafka } = await import('./kafka.mjs');
const { startSystem } = await import('./lib/system.mjs');
const { ensurePostgres } = await import('./lib/postgres-server.mjs');
const { GATEWAY, SUBGRAPH_SERVICES } = await import('./lib/services.mjs');
const { localDatabaseUrl } = await import('./lib/local-postgres.mjs');

const postgres = await ensurePostgres();
let kafka;
try {
  kafka = await ensureKafka({});
} catch (e) {
  fail(e.message);
}
build();
log('migrating the databases...');
for (const s of SUBGRAPH_SERVICES) {
  const env = { ...process.env, RH_DATA_DIR: path.join(ROOT, '.data'), DATABASE_URL: await localDatabaseUrl(s.database) };
  run(process.execPath, [path.join(ROOT, 'apps', s.name, 'dist', 'migrate.js')], `${s.name} migration`, { env });
}

let system;
let stopping = false;
async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  log('stopping...');
  await system?.stop();
  await kafka.stop();
  await postgres.stop();
  process.exit(code);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

try {
  system = await startSystem({ dataDir: path.join(ROOT, '.data'), kafkaBrokers: kafka.brokers });
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  await shutdown(1);
}
log(`ready.
  Admin console (browser):       ${system.gatewayUrl.replace(/\/graphql$/, '/')}  (sign in with a token from the commands below)
  GraphQL (queries, mutations):  ${system.gatewayUrl}
  GraphQL subscriptions:         ${system.gatewayUrl.replace('http', 'ws')}
  subgraphs:                     ${SUBGRAPH_SERVICES.map((s) => system.urlOf(s.name)).join('  ')}
  metrics (Prometheus):          ${[GATEWAY, ...SUBGRAPH_SERVICES].map((s) => `${s.name} ${system.metricsUrlOf(s.name)}`).join('\n                                 ')}
  Kafka:                         ${kafka.brokers}${kafka.started ? ' (started here; stops with Ctrl-C)' : ''}
  PostgreSQL:                    ${postgres.url}${postgres.embedded ? ` (embedded, data in ${path.relative(ROOT, postgres.dataDir) || postgres.dataDir}; stops with Ctrl-C)` : ''}
  a tenant and a token:
    npm run -s rh -- tenant create --name Contoso --domain contoso.com --admin admin@contoso.com
    npm run -s rh -- token --tenant <tenantId> --user admin@contoso.com
  Ctrl-C stops everything.`);
