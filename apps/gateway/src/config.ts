import { parseOidcIssuers } from '@remote-help/auth';
import type { ConfigOf } from '@remote-help/service-kit';
import { defaultDataDir, httpServerConfigSpec, metricsConfigSpec, metricsListen, parsers, shutdownCheck, shutdownConfigSpec } from '@remote-help/service-kit';
import * as path from 'node:path';
import { consoleIssuers, parseConsoleOidcClients } from './console/console-routes';

export { SERVICE_NAME } from './service-name';

/** The subgraphs the gateway routes to, by their name in the supergraph. */
export const SUBGRAPHS = [
  { name: 'tenant', service: 'tenant-service', env: 'TENANT_SERVICE_URL', port: 4001 },
  { name: 'rbac', service: 'rbac-service', env: 'RBAC_SERVICE_URL', port: 4002 },
  { name: 'session', service: 'session-service', env: 'SESSION_SERVICE_URL', port: 4003 },
  { name: 'reporting', service: 'reporting-service', env: 'REPORTING_SERVICE_URL', port: 4004 },
] as const;

const keysDir = () => path.join(defaultDataDir(), 'keys');

/** Comma-separated browser origins (`https://admin.contoso.com`), each a scheme, host and optional port. */
export function parseOrigins(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((o) => {
      let url: URL;
      try {
        url = new URL(o);
      } catch {
        throw new Error(`"${o}" is not an origin (scheme://host[:port])`);
      }
      if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== o.replace(/\/$/, '')) throw new Error(`"${o}" is not an origin (scheme://host[:port], no path)`);
      return url.origin;
    });
}

/** A request limit; 0 turns it off. */
const limit = (max: number) => parsers.int(0, max);

export const configSpec = {
  NODE_ENV: {
    description: 'development or production (production: no introspection, no landing page, no development issuer unless enabled)',
    default: 'development',
    parse: parsers.oneOf('development', 'production', 'test'),
  },
  HOST: { description: 'interface to listen on', default: '127.0.0.1', parse: parsers.string },
  PORT: { description: 'HTTP and WebSocket port of the gateway', default: '4000', parse: parsers.port },
  SUPERGRAPH_PATH: { description: 'the composed supergraph SDL (checked in; `npm run supergraph` rebuilds it)', default: path.resolve(__dirname, '..', 'supergraph.graphql'), parse: parsers.string },
  TENANT_SERVICE_URL: { description: "tenant-service's GraphQL endpoint", default: 'http://127.0.0.1:4001/graphql', parse: parsers.url('http', 'https') },
  RBAC_SERVICE_URL: { description: "rbac-service's GraphQL endpoint", default: 'http://127.0.0.1:4002/graphql', parse: parsers.url('http', 'https') },
  SESSION_SERVICE_URL: { description: "session-service's GraphQL endpoint", default: 'http://127.0.0.1:4003/graphql', parse: parsers.url('http', 'https') },
  REPORTING_SERVICE_URL: { description: "reporting-service's GraphQL endpoint", default: 'http://127.0.0.1:4004/graphql', parse: parsers.url('http', 'https') },
  SUBGRAPH_TIMEOUT_MS: { description: 'timeout of every call to a subgraph', default: '10000', parse: parsers.int(100, 120000) },
  SUBGRAPH_DEDUPE_INFLIGHT: {
    description: 'send identical subgraph fetches of queries that are in flight at the same time once (same caller, query and variables) and share the answer',
    default: 'true',
    parse: parsers.bool,
  },
  INTERNAL_JWT_PRIVATE_KEY_FILE: { description: 'private key (PEM) that signs the internal tokens; only the gateway holds it', default: path.join(keysDir(), 'internal.private.pem'), parse: parsers.string },
  AUTH_AUDIENCE: { description: 'audience that client tokens must name', default: 'remote-help', parse: parsers.string },
  DEV_ISSUER_ENABLED: {
    description: 'accept tokens of the local development issuer (`npm run -s rh -- token`); default: on except in production',
    default: '',
    parse: (raw: string) => (raw === '' ? null : parsers.bool(raw)),
  },
  DEV_ISSUER_KEYS_DIR: { description: "folder of the development issuer's keys (created on first start)", default: keysDir(), parse: parsers.string },
  KAFKA_BROKERS: { description: 'comma-separated Kafka brokers (the live feed of subscriptions)', default: '127.0.0.1:9092', parse: parsers.brokers },
  KAFKA_TOPIC_PREFIX: { description: 'prefix of every topic name, as the services use it', default: '', parse: parsers.string },
  OIDC_ISSUERS: {
    description:
      'JSON array of the OpenID Connect issuers whose tokens are accepted: `[{"discoveryUrl", "audience", "claims"?: {"tenant", "userObjectId", "upn", "device"}, "tenants"?}]`; claims default to Microsoft Entra ID\'s (`tid`, `oid`, `preferred_username`/`upn`, `deviceid`); `tenants` binds an issuer to those tenant ids; discovered at start, retried in the background while an issuer is down',
    default: '[]',
    parse: parseOidcIssuers,
  },
  CORS_ORIGINS: {
    description: 'comma-separated browser origins allowed to call the API (CORS); default: none in production, `http://localhost:*` and `http://127.0.0.1:*` in development',
    default: '',
    parse: (raw: string) => (raw.trim() === '' ? null : parseOrigins(raw)),
  },
  GRAPHQL_MAX_DEPTH: { description: 'deepest selection an operation may have (graphql-armor)', default: '10', parse: parsers.int(1, 100) },
  GRAPHQL_MAX_ALIASES: { description: 'most aliases in one operation (graphql-armor)', default: '15', parse: parsers.int(0, 1000) },
  GRAPHQL_MAX_DIRECTIVES: { description: 'most directives in one operation (graphql-armor)', default: '20', parse: parsers.int(0, 1000) },
  GRAPHQL_MAX_TOKENS: { description: 'most lexical tokens in one document, checked while parsing', default: '1000', parse: parsers.int(50, 100000) },
  GRAPHQL_MAX_COST: { description: 'highest estimated cost of one operation (graphql-armor cost limit)', default: '5000', parse: parsers.int(10, 1000000) },
  RATE_LIMIT_WINDOW_SECONDS: { description: 'window of the rate limits below (fixed windows, counted in memory and shared between gateways, see RATE_LIMIT_SYNC_MS)', default: '60', parse: parsers.int(1, 3600) },
  RATE_LIMIT_SYNC_MS: {
    description: 'how often each gateway sends the other gateway replicas (through Kafka) what it admitted, so that the rate limits hold across replicas; 0: each gateway counts only its own requests',
    default: '250',
    parse: (raw: string) => (parsers.int(0, 60000)(raw) === 0 ? 0 : parsers.int(20, 60000)(raw)),
  },
  RATE_LIMIT_PER_CALLER: { description: 'operations one user or device may run per window; 0: no limit', default: '1200', parse: limit(10_000_000) },
  RATE_LIMIT_PER_TENANT: { description: "operations all of one tenant's callers may run per window; 0: no limit", default: '12000', parse: limit(10_000_000) },
  RATE_LIMIT_SESSION_PER_CALLER: { description: '`requestSession` and `joinSession` calls one caller may make per window; 0: no limit', default: '30', parse: limit(10_000_000) },
  RATE_LIMIT_SESSION_PER_TENANT: { description: "`requestSession` and `joinSession` calls of one tenant's callers per window; 0: no limit", default: '300', parse: limit(10_000_000) },
  MAX_BODY_BYTES: { description: 'largest accepted request body', default: '1048576', parse: parsers.int(1024, 50 * 1024 * 1024) },
  CONSOLE_ENABLED: { description: 'serve the admin console at / (and its configuration at /console-config.json)', default: 'true', parse: parsers.bool },
  CONSOLE_DIR: { description: 'folder of the built admin console (`npm run build` writes it)', default: path.resolve(__dirname, '..', '..', 'admin-console', 'dist'), parse: parsers.string },
  CONSOLE_API_URL: {
    description: 'the GraphQL URL the console calls (written to /console-config.json); default: /graphql of the gateway that serves it',
    default: '/graphql',
    parse: (raw: string) => (raw.startsWith('/') ? raw : parsers.url('http', 'https')(raw)),
  },
  CONSOLE_OIDC_CLIENTS: {
    description:
      'JSON array of the console\'s public clients (no secret: Authorization Code flow with PKCE in the browser), one per OIDC_ISSUERS issuer it signs in with: `[{"discoveryUrl" (as in OIDC_ISSUERS), "clientId", "scope"? (default `openid profile offline_access`), "resource"?, "label"?}]`; register `<console URL>/sign-in/callback` as its redirect URI and the console URL as its post-logout redirect URI',
    default: '[]',
    parse: parseConsoleOidcClients,
  },
  GRAPHIQL_ENABLED: {
    description: 'offer the GraphQL explorer (GraphiQL, bundled with the console: no outside asset) at /graphiql; default: on except in production',
    default: '',
    parse: (raw: string) => (raw === '' ? null : parsers.bool(raw)),
  },
  EXPORT_TIMEOUT_MS: { description: 'most time between two parts of a CSV export from reporting-service before the download is cut', default: '30000', parse: parsers.int(1000, 600000) },
  LOG_LEVEL: { description: 'pino log level', default: 'info', parse: parsers.oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent') },
  ...metricsConfigSpec(9400),
  ...shutdownConfigSpec(),
  ...httpServerConfigSpec(),
};

export type GatewayConfig = ConfigOf<typeof configSpec>;

export function subgraphUrl(config: GatewayConfig, name: string): string {
  const s = SUBGRAPHS.find((x) => x.name === name);
  if (!s) throw new Error(`unknown subgraph ${name}`);
  return config[s.env];
}

/**
 * Checks that need several variables: the metrics port is not the public one; the console's
 * OIDC clients belong to configured issuers; the shutdown's drain ends within its grace period;
 * in production, OpenID Connect discovery (and so the keys
 * that sign tokens) must come over HTTPS, except from a loopback address. Returns the
 * `VARIABLE: problem` line, or undefined.
 */
export function crossCheck(config: GatewayConfig): string | undefined {
  const metrics = metricsListen(config);
  if (typeof metrics === 'string') return metrics;
  try {
    consoleIssuers(config.OIDC_ISSUERS, config.CONSOLE_OIDC_CLIENTS);
  } catch (e) {
    return (e as Error).message;
  }
  const shutdown = shutdownCheck(config);
  if (shutdown) return shutdown;
  if (config.NODE_ENV !== 'production') return undefined;
  for (const [i, issuer] of config.OIDC_ISSUERS.entries()) {
    const url = new URL(issuer.discoveryUrl);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !loopback) return `OIDC_ISSUERS: entry ${i + 1}: discoveryUrl must be an https URL in production, got "${issuer.discoveryUrl}"`;
  }
  return undefined;
}
