import * as path from 'node:path';
import type { ConfigOf, VarSpec } from './config';
import { parsers } from './config';
import { httpServerConfigSpec } from './http-server';
import { shutdownConfigSpec } from './shutdown';

/** The data folder shared by the local tools (keys of the development issuer and the gateway). */
export function defaultDataDir(): string {
  return process.env.RH_DATA_DIR || path.resolve(process.cwd(), '.data');
}

/**
 * The metrics endpoint's variables, read by every process (the four services and the gateway):
 * `GET /metrics` on a port of its own, never the public one.
 */
export function metricsConfigSpec(defaultPort: number) {
  return {
    METRICS_HOST: { description: 'interface the metrics endpoint listens on (default: HOST)', default: '', parse: parsers.string },
    METRICS_PORT: { description: 'port of `GET /metrics` (Prometheus text format); must differ from PORT', default: String(defaultPort), parse: (raw: string) => parsers.int(1, 65535)(raw) },
  } satisfies Record<string, VarSpec<unknown>>;
}

/** Where a process serves its metrics, or a `VARIABLE: problem` line (the public port is refused). */
export function metricsListen(config: { HOST: string; PORT: number; METRICS_HOST: string; METRICS_PORT: number }): { host: string; port: number } | string {
  if (config.METRICS_PORT === config.PORT) return `METRICS_PORT: must differ from PORT (${config.PORT}): metrics are never served on the public port`;
  return { host: config.METRICS_HOST || config.HOST, port: config.METRICS_PORT };
}

/** The variables every subgraph service reads; each service passes its own defaults (metrics port: port + 5400, e.g. 4001 → 9401). */
export function subgraphConfigSpec(defaults: { port: number; database: string }) {
  return {
    NODE_ENV: { description: 'development or production (production hides internal error details)', default: 'development', parse: parsers.oneOf('development', 'production', 'test') },
    HOST: { description: 'interface to listen on', default: '127.0.0.1', parse: parsers.string },
    PORT: { description: 'HTTP port of the subgraph', default: String(defaults.port), parse: parsers.port },
    DATABASE_URL: { description: "the service's own PostgreSQL database (created if missing)", default: `postgres://postgres@127.0.0.1:5432/${defaults.database}`, parse: parsers.url('postgres', 'postgresql') },
    KAFKA_BROKERS: { description: 'comma-separated Kafka brokers', default: '127.0.0.1:9092', parse: parsers.brokers },
    KAFKA_TOPIC_PREFIX: { description: 'prefix of every topic name (isolates test runs)', default: '', parse: parsers.string },
    INTERNAL_JWT_PUBLIC_KEY_FILE: { description: "the gateway's internal-token public key (PEM)", default: path.join(defaultDataDir(), 'keys', 'internal.public.pem'), parse: parsers.string },
    SERVICE_JWT_PRIVATE_KEY_FILE: {
      description: 'key (PEM) that signs service-to-service tokens, shared by the four services, not the gateway',
      default: path.join(defaultDataDir(), 'keys', 'service.private.pem'),
      parse: parsers.string,
    },
    SERVICE_JWT_PUBLIC_KEY_FILE: { description: 'verifies service-to-service tokens (PEM)', default: path.join(defaultDataDir(), 'keys', 'service.public.pem'), parse: parsers.string },
    TENANT_SERVICE_INTERNAL_URL: { description: "tenant-service's base URL for internal calls", default: 'http://127.0.0.1:4001', parse: parsers.url('http', 'https') },
    RBAC_SERVICE_INTERNAL_URL: { description: "rbac-service's base URL for internal calls (admin permissions, access decisions)", default: 'http://127.0.0.1:4002', parse: parsers.url('http', 'https') },
    INTERNAL_CALL_TIMEOUT_MS: { description: 'timeout of a call to another service', default: '5000', parse: parsers.int(50, 60000) },
    ADMIN_PERMISSION_CACHE_MS: { description: "how long a user's admin permissions read from rbac-service are reused (0: ask on every check)", default: '1000', parse: parsers.int(0, 60000) },
    LOG_LEVEL: { description: 'pino log level', default: 'info', parse: parsers.oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent') },
    OUTBOX_POLL_INTERVAL_MS: { description: 'fallback poll interval of the outbox relay (it also wakes on commit)', default: '500', parse: parsers.int(10, 60000) },
    ...metricsConfigSpec(defaults.port + 5400),
    ...shutdownConfigSpec(),
    ...httpServerConfigSpec(),
  } satisfies Record<string, VarSpec<unknown>>;
}

export type SubgraphConfig = ConfigOf<ReturnType<typeof subgraphConfigSpec>>;
