import { ConfigOf, defaultDataDir, parsers } from '@remote-help/service-kit';
import * as path from 'node:path';

export const SERVICE_NAME = 'gateway';

/** The subgraphs the gateway routes to, by their name in the supergraph. */
export const SUBGRAPHS = [
  { name: 'tenant', service: 'tenant-service', env: 'TENANT_SERVICE_URL', port: 4001 },
  { name: 'rbac', service: 'rbac-service', env: 'RBAC_SERVICE_URL', port: 4002 },
  { name: 'session', service: 'session-service', env: 'SESSION_SERVICE_URL', port: 4003 },
  { name: 'reporting', service: 'reporting-service', env: 'REPORTING_SERVICE_URL', port: 4004 },
] as const;

const keysDir = () => path.join(defaultDataDir(), 'keys');

export const configSpec = {
  NODE_ENV: { description: 'development or production (production: no introspection, no landing page, no development issuer unless enabled)', default: 'development', parse: parsers.oneOf('development', 'production', 'test') },
  HOST: { description: 'interface to listen on', default: '127.0.0.1', parse: parsers.string },
  PORT: { description: 'HTTP and WebSocket port of the gateway', default: '4000', parse: parsers.port },
  SUPERGRAPH_PATH: { description: 'the composed supergraph SDL (checked in; `npm run supergraph` rebuilds it)', default: path.resolve(__dirname, '..', 'supergraph.graphql'), parse: parsers.string },
  TENANT_SERVICE_URL: { description: "tenant-service's GraphQL endpoint", default: 'http://127.0.0.1:4001/graphql', parse: parsers.url('http', 'https') },
  RBAC_SERVICE_URL: { description: "rbac-service's GraphQL endpoint", default: 'http://127.0.0.1:4002/graphql', parse: parsers.url('http', 'https') },
  SESSION_SERVICE_URL: { description: "session-service's GraphQL endpoint", default: 'http://127.0.0.1:4003/graphql', parse: parsers.url('http', 'https') },
  REPORTING_SERVICE_URL: { description: "reporting-service's GraphQL endpoint", default: 'http://127.0.0.1:4004/graphql', parse: parsers.url('http', 'https') },
  SUBGRAPH_TIMEOUT_MS: { description: 'timeout of every call to a subgraph', default: '10000', parse: parsers.int(100, 120000) },
  INTERNAL_JWT_PRIVATE_KEY_FILE: { description: 'private key (PEM) that signs the internal tokens; only the gateway holds it', default: path.join(keysDir(), 'internal.private.pem'), parse: parsers.string },
  AUTH_AUDIENCE: { description: 'audience that client tokens must name', default: 'remote-help', parse: parsers.string },
  DEV_ISSUER_ENABLED: { description: 'accept tokens of the local development issuer (`npm run -s rh -- token`); default: on except in production', default: '', parse: (raw: string) => (raw === '' ? null : parsers.bool(raw)) },
  DEV_ISSUER_KEYS_DIR: { description: "folder of the development issuer's keys (created on first start)", default: keysDir(), parse: parsers.string },
  KAFKA_BROKERS: { description: 'comma-separated Kafka brokers (the live feed of subscriptions)', default: '127.0.0.1:9092', parse: parsers.brokers },
  KAFKA_TOPIC_PREFIX: { description: 'prefix of every topic name, as the services use it', default: '', parse: parsers.string },
  MAX_BODY_BYTES: { description: 'largest accepted request body', default: '1048576', parse: parsers.int(1024, 50 * 1024 * 1024) },
  LOG_LEVEL: { description: 'pino log level', default: 'info', parse: parsers.oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent') },
};

export type GatewayConfig = ConfigOf<typeof configSpec>;

export function subgraphUrl(config: GatewayConfig, name: string): string {
  const s = SUBGRAPHS.find((x) => x.name === name);
  if (!s) throw new Error(`unknown subgraph ${name}`);
  return config[s.env];
}
