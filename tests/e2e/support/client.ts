import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const gatewayUrl = () => required('RH_E2E_GATEWAY_URL');
export const serviceUrls = (): Record<string, string> => JSON.parse(required('RH_E2E_SERVICE_URLS'));
export const databases = (): Record<string, string> => JSON.parse(required('RH_E2E_DATABASES'));
/** Each process's `GET /metrics` URL (its own metrics port), by process name. */
export const metricsUrls = (): Record<string, string> => JSON.parse(required('RH_E2E_METRICS_URLS'));

export function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the end-to-end tests through jest.e2e.config.cjs (its global setup starts the system)`);
  return v;
}

export interface GqlResponse<T = Record<string, any>> {
  status: number;
  body: { data?: T | null; errors?: { message: string; extensions?: { code?: string; reasons?: string[] } }[] };
}

/** A GraphQL request through the gateway, as a client would send it. */
export async function gql<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, token?: string, url = gatewayUrl()): Promise<GqlResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body: GqlResponse<T>['body'];
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`not JSON (${res.status}): ${text.slice(0, 300)}`);
  }
  return { status: res.status, body };
}

/** Data of a request that must succeed. */
export async function gqlOk<T = Record<string, any>>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const r = await gql<T>(query, variables, token);
  if (r.body.errors?.length || !r.body.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.body.errors)}`);
  return r.body.data;
}

export function errorCodes(r: GqlResponse<unknown>): string[] {
  return (r.body.errors ?? []).map((e) => e.extensions?.code ?? '?');
}

/** The project CLI (`npm run -s rh -- ...`), pointed at this run's databases and keys. */
export function rh(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const dbs = databases();
  const r = spawnSync('npm', ['run', '-s', 'rh', '--', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      RH_DATA_DIR: required('RH_E2E_DATA_DIR'),
      RH_TENANT_DATABASE_URL: dbs['tenant-service'],
      RH_RBAC_DATABASE_URL: dbs['rbac-service'],
    },
  });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr
      .split('\n')
      .filter((l) => !l.startsWith('npm warn'))
      .join('\n'),
  };
}

export function rhOk(args: string[]): string {
  const r = rh(args);
  if (r.status !== 0) throw new Error(`rh ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * A development token from the CLI for a user or a dedicated device of a tenant. Each value is
 * joined to its option with '=', so that one beginning with '-' is never read as an option.
 */
export function tokenFor(tenantId: string, who: { user: string } | { device: string }, ttlSeconds?: number): string {
  const subject = 'user' in who ? `--user=${who.user}` : `--device=${who.device}`;
  return rhOk(['token', `--tenant=${tenantId}`, subject, ...(ttlSeconds === undefined ? [] : [`--ttl=${ttlSeconds}`])]);
}

let counter = 0;
/** A new tenant and its first administrator's token, through the CLI. */
export function newTenant(opts: { cloud?: string } = {}): { tenantId: string; adminUserId: string; domain: string; adminUpn: string; adminToken: string } {
  const domain = `t${Date.now().toString(36)}${counter++}.example.com`;
  const adminUpn = `admin@${domain}`;
  const { tenantId, adminUserId } = JSON.parse(rhOk(['tenant', 'create', `--name=Tenant ${domain}`, `--domain=${domain}`, `--admin=${adminUpn}`, ...(opts.cloud ? [`--cloud=${opts.cloud}`] : [])]));
  const adminToken = tokenFor(tenantId, { user: adminUpn });
  return { tenantId, adminUserId, domain, adminUpn, adminToken };
}

export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Stops (e.g. with SIGKILL) or starts one of the system's processes (`session-service`, or a
 * replica: `session-service~2`), through the global setup. A stop resolves with the exit code.
 */
export async function controlProcess(name: string, action: 'stop' | 'start', signal = 'SIGTERM'): Promise<string> {
  const res = await fetch(`${required('RH_E2E_CONTROL_URL')}/processes/${name}/${action}?signal=${signal}`, { method: 'POST' });
  if (!res.ok) throw new Error(`${action} ${name}: ${res.status} ${await res.text()}`);
  return res.text();
}

/** Starts another replica of a subgraph service (`<service>~<replica>`) beside the system's, with `env` on top of the first's. */
export async function startReplica(service: string, replica: number, env: Record<string, string> = {}): Promise<{ name: string; url: string; metricsUrl: string }> {
  const res = await fetch(`${required('RH_E2E_CONTROL_URL')}/replicas/${service}/${replica}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ env }) });
  if (!res.ok) throw new Error(`start ${service}~${replica}: ${res.status} ${await res.text()}`);
  return (await res.json()) as never;
}
