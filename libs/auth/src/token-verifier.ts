import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, jwtVerify, type JWK, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { VerifiedTokenCache } from './verified-token-cache';
import { AuthError, toAuthError } from './auth-error';
import type { ExternalIdentity } from './caller';

/** One trusted external token issuer (an OIDC provider or the local dev issuer). */
export interface IssuerConfig {
  /**
   * The exact `iss`. It may contain the placeholder `{tenantid}` (as Microsoft Entra ID's
   * multi-tenant discovery documents do): the token's `iss` must then equal it with the
   * placeholder replaced by the token's own tenant claim.
   */
  issuer: string;
  audience: string | string[];
  /** Remote JWKS (OIDC); refetched on an unknown kid at most once a minute. */
  jwksUri?: string;
  /** A fixed key set, e.g. the dev issuer's. */
  localJwks?: { keys: JWK[] };
  /** Claim names; defaults 'tid', 'oid', ['preferred_username', 'upn'], 'deviceid'. */
  claims?: { tenant?: string; userObjectId?: string; upn?: string[]; device?: string };
  /** Default ['RS256', 'PS256', 'ES256', 'EdDSA']; 'none' and HS* are refused. */
  algorithms?: string[];
  /** When set, the only tenants (values of the tenant claim) this issuer may sign in. */
  tenants?: string[];
}

/** What an OIDC issuer's configuration adds to its discovery document. */
export type IssuerOptions = Pick<IssuerConfig, 'claims' | 'algorithms' | 'tenants'>;

export const TENANT_PLACEHOLDER = '{tenantid}';

export const DEFAULT_ALGORITHMS: readonly string[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];
export const JWKS_COOLDOWN_MS = 60_000;
const JWKS_TIMEOUT_MS = 5_000;
const DISCOVERY_TIMEOUT_MS = 10_000;

/**
 * Reads `<issuer>/.well-known/openid-configuration` (or the given discovery document
 * URL itself, if it already contains `/.well-known/`) and returns an IssuerConfig
 * with its `issuer` and `jwks_uri`.
 */
export async function discoverIssuer(discoveryUrl: string, audience: string | string[], options: IssuerOptions = {}): Promise<IssuerConfig> {
  const url = discoveryUrl.includes('/.well-known/') ? discoveryUrl : `${discoveryUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`OIDC discovery at ${url} answered HTTP ${response.status}`);
  const doc = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (typeof doc.issuer !== 'string' || doc.issuer.length === 0 || typeof doc.jwks_uri !== 'string' || doc.jwks_uri.length === 0) {
    throw new Error(`OIDC discovery document at ${url} has no issuer or jwks_uri`);
  }
  const config: IssuerConfig = { issuer: doc.issuer, audience, jwksUri: doc.jwks_uri };
  if (options.claims !== undefined) config.claims = options.claims;
  if (options.algorithms !== undefined) config.algorithms = options.algorithms;
  if (options.tenants !== undefined) config.tenants = options.tenants;
  return config;
}

interface IssuerEntry {
  issuer: string;
  /** For an issuer with the {tenantid} placeholder: matches a token's iss, capturing the tenant. */
  template?: RegExp;
  tenants?: Set<string>;
  audience: string | string[];
  getKey: JWTVerifyGetKey;
  algorithms: string[];
  tenantClaim: string;
  userObjectIdClaim: string;
  upnClaims: string[];
  deviceClaim: string;
}

const KEY_LOOKUP_ERRORS = new Set(['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWKS_MULTIPLE_MATCHING_KEYS', 'ERR_JOSE_NOT_SUPPORTED', 'ERR_JWS_INVALID', 'ERR_JWK_INVALID']);

function remoteKeySet(jwksUri: string): JWTVerifyGetKey {
  const keySet = createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: JWKS_COOLDOWN_MS, timeoutDuration: JWKS_TIMEOUT_MS });
  return async (header, token) => {
    try {
      return await keySet(header, token);
    } catch (err) {
      // Fetch failures (connection refused, HTTP 500, bad JSON, timeout) are not the client's fault.
      if (KEY_LOOKUP_ERRORS.has((err as { code?: string }).code ?? '')) throw err;
      throw new AuthError('issuer keys unavailable');
    }
  };
}

function toEntry(config: IssuerConfig): IssuerEntry {
  if (typeof config.issuer !== 'string' || config.issuer.length === 0) throw new TypeError('IssuerConfig.issuer is required');
  if ((config.jwksUri === undefined) === (config.localJwks === undefined)) {
    throw new TypeError(`issuer ${config.issuer}: exactly one of jwksUri and localJwks is required`);
  }
  const audiences = Array.isArray(config.audience) ? config.audience : [config.audience];
  if (audiences.length === 0 || audiences.some((a) => typeof a !== 'string' || a.length === 0)) {
    throw new TypeError(`issuer ${config.issuer}: audience is required`);
  }
  const algorithms = [...(config.algorithms ?? DEFAULT_ALGORITHMS)];
  const forbidden = algorithms.find((alg) => /^none$/i.test(alg) || /^HS/i.test(alg));
  if (forbidden !== undefined) throw new TypeError(`issuer ${config.issuer}: algorithm ${forbidden} is not allowed`);
  if (algorithms.length === 0) throw new TypeError(`issuer ${config.issuer}: no algorithms`);
  if (config.tenants !== undefined && (!Array.isArray(config.tenants) || config.tenants.some((t) => typeof t !== 'string' || t.length === 0))) {
    throw new TypeError(`issuer ${config.issuer}: tenants must be a list of tenant ids`);
  }
  const entry: IssuerEntry = {
    issuer: config.issuer,
    audience: config.audience,
    getKey: config.jwksUri !== undefined ? remoteKeySet(config.jwksUri) : createLocalJWKSet(config.localJwks!),
    algorithms,
    tenantClaim: config.claims?.tenant ?? 'tid',
    userObjectIdClaim: config.claims?.userObjectId ?? 'oid',
    upnClaims: config.claims?.upn ?? ['preferred_username', 'upn'],
    deviceClaim: config.claims?.device ?? 'deviceid',
  };
  if (config.issuer.includes(TENANT_PLACEHOLDER)) {
    const [before, ...rest] = config.issuer.split(TENANT_PLACEHOLDER);
    if (rest.length !== 1) throw new TypeError(`issuer ${config.issuer}: ${TENANT_PLACEHOLDER} may appear once`);
    entry.template = new RegExp(`^${escapeRegExp(before!)}([A-Za-z0-9._-]+)${escapeRegExp(rest[0]!)}$`);
  }
  if (config.tenants !== undefined) entry.tenants = new Set(config.tenants);
  return entry;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** jwtVerify, also trying each candidate when a kid-less token matches several keys of the set. */
async function verifyAgainstKeySet(token: string, getKey: JWTVerifyGetKey, options: JWTVerifyOptions): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, getKey, options)).payload;
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') throw err;
    for await (const key of err as AsyncIterable<Awaited<ReturnType<typeof createLocalJWKSet>>>) {
      try {
        return (await jwtVerify(token, key, options)).payload;
      } catch (inner) {
        if ((inner as { code?: string }).code !== 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') throw inner;
      }
    }
    throw new AuthError('invalid signature');
  }
}

function stringClaim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export interface TokenVerifier {
  verify(token: string): Promise<ExternalIdentity>;
  /** Trusts one more issuer from now on (e.g. an OIDC issuer discovered after start-up). */
  addIssuer(config: IssuerConfig): void;
  /** The `iss` values (or templates) trusted so far. */
  issuers(): string[];
}

/**
 * Verifies external bearer tokens. The issuer config is chosen by the token's
 * (unverified) `iss`; then signature, iss, aud, exp and nbf are checked, and the token
 * must name a tenant and a user (object id or UPN) or a device. Every failure is an
 * AuthError with a short safe message.
 */
export function createTokenVerifier(issuers: IssuerConfig[], opts?: { clockToleranceSeconds?: number }): TokenVerifier {
  const clockTolerance = opts?.clockToleranceSeconds ?? 5;
  const byIssuer = new Map<string, IssuerEntry>();
  const templates: IssuerEntry[] = [];
  const addIssuer = (config: IssuerConfig) => {
    if (byIssuer.has(config.issuer)) throw new TypeError(`issuer ${config.issuer} is configured twice`);
    const entry = toEntry(config);
    byIssuer.set(config.issuer, entry);
    if (entry.template) templates.push(entry);
  };
  issuers.forEach(addIssuer);

  /** The issuer entry for a token's (unverified) iss, and the tenant its iss names, if templated. */
  const lookup = (iss: string): { entry: IssuerEntry; tenantInIssuer?: string } | undefined => {
    const exact = byIssuer.get(iss);
    if (exact && !exact.template) return { entry: exact };
    for (const entry of templates) {
      const m = entry.template!.exec(iss);
      if (m) return { entry, tenantInIssuer: m[1] };
    }
    return undefined;
  };

  const verified = new VerifiedTokenCache<ExternalIdentity>();

  return {
    addIssuer,
    issuers: () => [...byIssuer.keys()],
    async verify(token: string): Promise<ExternalIdentity> {
      const known = typeof token === 'string' ? verified.get(token) : undefined;
      if (known) return known;
      const identity = await verifyOnce(token);
      verified.set(token, identity, identity.expiresAt.getTime());
      return identity;
    },
  };

  async function verifyOnce(token: string): Promise<ExternalIdentity> {
    if (typeof token !== 'string' || token.length === 0) throw new AuthError('malformed token');
    let unverifiedIssuer: unknown;
    try {
      unverifiedIssuer = decodeJwt(token).iss;
    } catch {
      throw new AuthError('malformed token');
    }
    const found = typeof unverifiedIssuer === 'string' ? lookup(unverifiedIssuer) : undefined;
    if (!found) throw new AuthError('unknown issuer');
    const { entry } = found;

    let payload: JWTPayload;
    try {
      payload = await verifyAgainstKeySet(token, entry.getKey, {
        issuer: unverifiedIssuer as string,
        audience: entry.audience,
        algorithms: entry.algorithms,
        clockTolerance,
        requiredClaims: ['exp'],
      });
    } catch (err) {
      throw toAuthError(err);
    }

    const tenantId = stringClaim(payload, entry.tenantClaim);
    if (!tenantId) throw new AuthError('token has no tenant');
    if (found.tenantInIssuer !== undefined && found.tenantInIssuer !== tenantId) throw new AuthError('issuer does not match the tenant');
    if (entry.tenants && !entry.tenants.has(tenantId)) throw new AuthError('issuer not trusted for this tenant');
    const userObjectId = stringClaim(payload, entry.userObjectIdClaim);
    const upn = entry.upnClaims.map((name) => stringClaim(payload, name)).find((v) => v !== undefined);
    const deviceId = stringClaim(payload, entry.deviceClaim);

    const identity: ExternalIdentity = { issuer: entry.issuer, tenantId, expiresAt: new Date((payload.exp as number) * 1000) };
    if (userObjectId !== undefined || upn !== undefined) {
      if (userObjectId !== undefined) identity.userObjectId = userObjectId;
      if (upn !== undefined) identity.upn = upn;
    } else if (deviceId !== undefined) {
      identity.deviceId = deviceId;
    } else {
      throw new AuthError('token has no user or device subject');
    }
    return identity;
  }
}
