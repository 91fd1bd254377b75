// Extra processes that the sign-in and security tests start themselves, beside the system that
// the global setup runs: OpenID Connect providers (tests/e2e/support/oidc-provider.mjs) and
// more gateways over the same four services (e.g. in production mode, with OIDC issuers, or
// with low rate limits).
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as net from 'node:net';
import { ROOT, serviceUrls } from './client';

const handedOut = new Set<number>();

/**
 * A port free on 127.0.0.1 now, drawn below Linux's ephemeral range (where outgoing connections
 * take their local ports) and never twice, as scripts/lib/isolated-system.mjs's freePort (this
 * file cannot import that ES module, nor @remote-help/events/testing under the e2e type check).
 */
export async function freePort(): Promise<number> {
  const canListen = (port: number) =>
    new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through jest.e2e.config.cjs`);
  return v;
}

class Child {
  output = '';
  exited: Promise<number | null>;
  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (d) => (this.output += String(d)));
    child.stderr?.on('data', (d) => (this.output += String(d)));
    this.exited = new Promise((r) => child.once('exit', (code) => r(code)));
  }
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    const code = await this.exited;
    clearTimeout(t);
    return code;
  }
}

export interface ExtraGateway {
  /** `http://127.0.0.1:<port>/graphql` */
  url: string;
  base: string;
  /** Its `GET /metrics`. */
  metricsUrl: string;
  output(): string;
  /** SIGTERM (SIGKILL 10 s later if it has not exited); resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Another gateway process over the running system's services, keys and Kafka, with `env` on
 * top (e.g. `NODE_ENV: 'production'`, `OIDC_ISSUERS`, `RATE_LIMIT_PER_CALLER`). Resolves once
 * `/health/live` answers (within `startTimeoutMs`, default 60 s). With `port`, on that port (a
 * gateway started again where its clients knew it).
 */
export async function startGateway(env: Record<string, string>, opts: { port?: number; startTimeoutMs?: number } = {}): Promise<ExtraGateway> {
  const port = opts.port ?? (await freePort());
  const metricsPort = await freePort();
  const dataDir = required('RH_E2E_DATA_DIR');
  const keys = path.join(dataDir, 'keys');
  const urls = serviceUrls();
  const child = new Child(
    spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', path.join(ROOT, 'apps/gateway/dist/main.js')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        APOLLO_TELEMETRY_DISABLED: '1',
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
        RH_DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        LOG_LEVEL: 'info',
        TENANT_SERVICE_URL: `${urls['tenant-service']}/graphql`,
        RBAC_SERVICE_URL: `${urls['rbac-service']}/graphql`,
        SESSION_SERVICE_URL: `${urls['session-service']}/graphql`,
        REPORTING_SERVICE_URL: `${urls['reporting-service']}/graphql`,
        INTERNAL_JWT_PRIVATE_KEY_FILE: path.join(keys, 'internal.private.pem'),
        DEV_ISSUER_KEYS_DIR: keys,
        KAFKA_BROKERS: required('RH_E2E_KAFKA_BROKERS'),
        KAFKA_TOPIC_PREFIX: required('RH_E2E_TOPIC_PREFIX'),
        ...env,
      },
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  const timeoutMs = opts.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.child.exitCode !== null) throw new Error(`the extra gateway exited (${child.child.exitCode}):\n${child.output}`);
    if (
      await fetch(`${base}/health/live`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) {
      await child.stop();
      throw new Error(`the extra gateway did not start within ${timeoutMs / 1000} s:\n${child.output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `${base}/graphql`, base, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, output: () => child.output, stop: () => child.stop() };
}

export interface ProviderClient {
  clientId: string;
  clientSecret: string;
}

/** A running `oidc-provider` (see oidc-provider.mjs) and the test controls it offers. */
export class OidcProvider {
  private count = 0;
  private constructor(
    private readonly child: Child,
    readonly issuer: string,
  ) {}

  /** Starts a provider on `port` (a free one if omitted); with `discoveryDown`, its discovery answers 503 until {@link setDiscovery}. */
  static async start(port = 0, opts: { discoveryDown?: boolean } = {}): Promise<OidcProvider> {
    const args = [path.join(ROOT, 'tests/e2e/support/oidc-provider.mjs'), String(port), ...(opts.discoveryDown ? ['--discovery-down'] : [])];
    const child = new Child(spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }));
    const deadline = Date.now() + 20_000;
    for (;;) {
      const m = /ready (\S+)/.exec(child.output);
      if (m) return new OidcProvider(child, m[1]);
      if (child.child.exitCode !== null || Date.now() > deadline) {
        await child.stop();
        throw new Error(`the OIDC provider did not start:\n${child.output}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async control(method: string, route: string, body?: unknown) {
    const res = await fetch(`${this.issuer}/_test/${route}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`provider control ${route}: ${res.status} ${await res.text()}`);
    return res.json();
  }

  /** A client of the provider whose tokens carry `claims` (e.g. tid, preferred_username, oid). */
  async client(claims: Record<string, unknown>, opts: { ttlSeconds?: number } = {}): Promise<ProviderClient> {
    const c = { clientId: `client-${++this.count}-${Date.now().toString(36)}`, clientSecret: `secret-${Math.random().toString(36).slice(2)}-${'x'.repeat(32)}` };
    await this.control('POST', 'clients', { client_id: c.clientId, client_secret: c.clientSecret, claims, ttl: opts.ttlSeconds });
    return c;
  }

  /**
   * A public client (no secret) that signs people in through the browser: Authorization Code
   * flow with PKCE to `redirectUris`, refresh tokens; its access tokens live `ttlSeconds`.
   */
  async publicClient(clientId: string, opts: { redirectUris: string[]; postLogoutRedirectUris?: string[]; ttlSeconds?: number }): Promise<void> {
    await this.control('POST', 'clients', { client_id: clientId, redirect_uris: opts.redirectUris, post_logout_redirect_uris: opts.postLogoutRedirectUris, ttl: opts.ttlSeconds });
  }

  /** An account that signs in (any password) with `login`; its access tokens carry `claims`. */
  async account(login: string, claims: Record<string, unknown>): Promise<void> {
    await this.control('POST', 'accounts', { login, claims });
  }

  /** An access token (JWT) from the token endpoint: client credentials grant with a resource indicator. */
  async token(client: ProviderClient, resource = 'api://remote-help'): Promise<string> {
    const res = await fetch(`${this.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'api' }),
    });
    const body = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
    if (!body.access_token) throw new Error(`token endpoint: ${res.status} ${body.error}: ${body.error_description}`);
    return body.access_token;
  }

  /** Shorthand: a new client with these claims and a token of it. */
  async tokenFor(claims: Record<string, unknown>, opts: { ttlSeconds?: number; resource?: string } = {}): Promise<string> {
    return this.token(await this.client(claims, opts), opts.resource);
  }

  /** Signs with a new key from now on (the previous keys stay published). Returns its kid. */
  async rotate(): Promise<string> {
    return ((await this.control('POST', 'rotate')) as { kid: string }).kid;
  }

  /** Makes the discovery document answer (up) or answer 503 (down). */
  async setDiscovery(up: boolean): Promise<void> {
    await this.control('POST', 'discovery', { up });
  }

  async stats(): Promise<{ jwksFetches: number; discoveryFetches: number; kids: string[] }> {
    return (await this.control('GET', 'stats')) as never;
  }

  async jwks(): Promise<{ keys: Record<string, string>[] }> {
    return (await fetch(`${this.issuer}/jwks`).then((r) => r.json())) as never;
  }

  async stop(): Promise<void> {
    await this.child.stop();
  }
}
