import { DEFAULT_ALGORITHMS, discoverIssuer, type IssuerConfig, type TokenVerifier } from './token-verifier';

/**
 * One OpenID Connect issuer as configured (e.g. the gateway's `OIDC_ISSUERS`): where its
 * discovery document is, the audience its tokens must name, and the claims that carry the
 * tenant, the user and the device. Defaults fit Microsoft Entra ID access tokens.
 */
export interface OidcIssuerSpec {
  /** The issuer URL, or its `/.well-known/openid-configuration` URL. */
  discoveryUrl: string;
  audience: string | string[];
  claims?: { tenant?: string; userObjectId?: string; upn?: string[]; device?: string };
  /** When set, the only tenant ids this issuer may sign in (binds a single-organisation issuer to its tenant). */
  tenants?: string[];
  algorithms?: string[];
}

const KEYS = new Set(['discoveryUrl', 'audience', 'claims', 'tenants', 'algorithms']);
const CLAIM_KEYS = new Set(['tenant', 'userObjectId', 'upn', 'device']);

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim().length > 0;
}

function stringList(v: unknown, what: string): string[] {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0 || !list.every(nonEmptyString)) throw new Error(`${what} must be a non-empty string or list of strings`);
  return list;
}

/**
 * Parses a JSON array of issuers:
 * `[{ "discoveryUrl": "https://login.microsoftonline.com/<tid>/v2.0", "audience": "api://remote-help",
 *     "claims": { "tenant": "tid", "userObjectId": "oid", "upn": ["preferred_username", "upn"], "device": "deviceid" },
 *     "tenants": ["<tenant id>"], "algorithms": ["RS256"] }]`.
 * Throws an Error naming the entry and the field at fault.
 */
export function parseOidcIssuers(raw: string): OidcIssuerSpec[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('must be a JSON array of {"discoveryUrl", "audience", "claims"?, "tenants"?}');
  }
  if (!Array.isArray(parsed)) throw new Error('must be a JSON array of {"discoveryUrl", "audience", "claims"?, "tenants"?}');
  const seen = new Set<string>();
  return parsed.map((item, i) => {
    const at = `entry ${i + 1}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new Error(`${at}: must be an object`);
    const o = item as Record<string, unknown>;
    const unknown = Object.keys(o).find((k) => !KEYS.has(k));
    if (unknown) throw new Error(`${at}: unknown field "${unknown}"`);
    if (!nonEmptyString(o.discoveryUrl)) throw new Error(`${at}: discoveryUrl is required`);
    let url: URL;
    try {
      url = new URL(o.discoveryUrl);
    } catch {
      throw new Error(`${at}: discoveryUrl must be a URL, got "${o.discoveryUrl}"`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${at}: discoveryUrl must be an http(s) URL`);
    if (seen.has(url.href)) throw new Error(`${at}: ${url.href} is listed twice`);
    seen.add(url.href);
    const audience = stringList(o.audience, `${at}: audience`);
    const spec: OidcIssuerSpec = { discoveryUrl: o.discoveryUrl, audience: Array.isArray(o.audience) ? audience : audience[0]! };
    if (o.claims !== undefined) {
      if (typeof o.claims !== 'object' || o.claims === null || Array.isArray(o.claims)) throw new Error(`${at}: claims must be an object`);
      const c = o.claims as Record<string, unknown>;
      const bad = Object.keys(c).find((k) => !CLAIM_KEYS.has(k));
      if (bad) throw new Error(`${at}: unknown claim mapping "${bad}" (tenant, userObjectId, upn, device)`);
      const claims: NonNullable<OidcIssuerSpec['claims']> = {};
      for (const k of ['tenant', 'userObjectId', 'device'] as const) {
        if (c[k] === undefined) continue;
        if (!nonEmptyString(c[k])) throw new Error(`${at}: claims.${k} must be a claim name`);
        claims[k] = c[k] as string;
      }
      if (c.upn !== undefined) claims.upn = stringList(c.upn, `${at}: claims.upn`);
      spec.claims = claims;
    }
    if (o.tenants !== undefined) spec.tenants = stringList(o.tenants, `${at}: tenants`);
    if (o.algorithms !== undefined) {
      const algs = stringList(o.algorithms, `${at}: algorithms`);
      const refused = algs.find((a) => !DEFAULT_ALGORITHMS.includes(a));
      if (refused) throw new Error(`${at}: algorithm ${refused} is not allowed (${DEFAULT_ALGORITHMS.join(', ')})`);
      spec.algorithms = algs;
    }
    return spec;
  });
}

export interface IssuerStatus {
  discoveryUrl: string;
  /** The discovered `iss`, once discovery succeeded. */
  issuer?: string;
  discovered: boolean;
  attempts: number;
  lastError?: string;
}

export interface DiscoveryOptions {
  /** First retry delay; doubled after each failure up to `maxRetryMs`. */
  initialRetryMs?: number;
  maxRetryMs?: number;
  onDiscovered?(config: IssuerConfig, spec: OidcIssuerSpec): void;
  onError?(spec: OidcIssuerSpec, error: Error, retryInMs: number): void;
  /** Injectable for tests. */
  discover?: typeof discoverIssuer;
}

/**
 * Discovers each issuer and adds it to `verifier` as soon as its discovery document answers.
 * An issuer that is down is retried in the background (exponential back-off), so the caller
 * never waits for it: tokens of that issuer are refused as of an unknown issuer until then.
 */
export function discoverIssuersInBackground(specs: OidcIssuerSpec[], verifier: Pick<TokenVerifier, 'addIssuer'>, opts: DiscoveryOptions = {}) {
  const initial = opts.initialRetryMs ?? 1_000;
  const max = opts.maxRetryMs ?? 30_000;
  const discover = opts.discover ?? discoverIssuer;
  const statuses: IssuerStatus[] = specs.map((s) => ({ discoveryUrl: s.discoveryUrl, discovered: false, attempts: 0 }));
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const attempt = async (i: number, delay: number): Promise<void> => {
    if (stopped) return;
    const spec = specs[i]!;
    const status = statuses[i]!;
    status.attempts += 1;
    try {
      const config = await discover(spec.discoveryUrl, spec.audience, { claims: spec.claims, tenants: spec.tenants, algorithms: spec.algorithms });
      if (stopped) return;
      verifier.addIssuer(config);
      Object.assign(status, { discovered: true, issuer: config.issuer, lastError: undefined });
      opts.onDiscovered?.(config, spec);
    } catch (e) {
      if (stopped) return;
      const error = e as Error;
      status.lastError = error.message;
      // A configuration mistake (the same issuer twice) is not cured by waiting.
      if (error instanceof TypeError && /configured twice/.test(error.message)) {
        opts.onError?.(spec, error, -1);
        return;
      }
      opts.onError?.(spec, error, delay);
      const t = setTimeout(() => {
        timers.delete(t);
        void attempt(i, Math.min(delay * 2, max));
      }, delay);
      t.unref();
      timers.add(t);
    }
  };
  const firstRound = Promise.all(specs.map((_, i) => attempt(i, initial)));

  return {
    /** Settles after the first attempt at each issuer (whether it succeeded or not). */
    firstRound,
    status: (): IssuerStatus[] => statuses.map((s) => ({ ...s })),
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
