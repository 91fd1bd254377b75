import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  jwtVerify,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import { AuthError, toAuthError } from './auth-error';
import type { ExternalIdentity } from './caller';

/** One trusted external token issuer (an OIDC provider or the local dev issuer). */
export interface IssuerConfig {
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
}

export const DEFAULT_ALGORITHMS: readonly string[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];
export const JWKS_COOLDOWN_MS = 60_000;
const JWKS_TIMEOUT_MS = 5_000;
const DISCOVERY_TIMEOUT_MS = 10_000;

/**
 * Reads `<issuer>/.well-known/openid-configuration` (or the given discovery document
 * URL itself, if it already contains `/.well-known/`) and returns an IssuerConfig
 * with its `issuer` and `jwks_uri`.
 */
export async function discoverIssuer(discoveryUrl: string, audience: string): Promise<IssuerConfig> {
  const url = discoveryUrl.includes('/.well-known/')
    ? discoveryUrl
    : `${discoveryUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`OIDC discovery at ${url} answered HTTP ${response.status}`);
  const doc = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (typeof doc.issuer !== 'string' || doc.issuer.length === 0 || typeof doc.jwks_uri !== 'string' || doc.jwks_uri.length === 0) {
    throw new Error(`OIDC discovery document at ${url} has no issuer or jwks_uri`);
  }
  return { issuer: doc.issuer, audience, jwksUri: doc.jwks_uri };
}

interface IssuerEntry {
  issuer: string;
  audience: string | string[];
  getKey: JWTVerifyGetKey;
  algorithms: string[];
  tenantClaim: string;
  userObjectIdClaim: string;
  upnClaims: string[];
  deviceClaim: string;
}

const KEY_LOOKUP_ERRORS = new Set([
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWS_INVALID',
  'ERR_JWK_INVALID',
]);

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
  return {
    issuer: config.issuer,
    audience: config.audience,
    getKey: config.jwksUri !== undefined ? remoteKeySet(config.jwksUri) : createLocalJWKSet(config.localJwks!),
    algorithms,
    tenantClaim: config.claims?.tenant ?? 'tid',
    userObjectIdClaim: config.claims?.userObjectId ?? 'oid',
    upnClaims: config.claims?.upn ?? ['preferred_username', 'upn'],
    deviceClaim: config.claims?.device ?? 'deviceid',
  };
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

/**
 * Verifies external bearer tokens. The issuer config is chosen by the token's
 * (unverified) `iss`; then signature, iss, aud, exp and nbf are checked, and the token
 * must name a tenant and a user (object id or UPN) or a device. Every failure is an
 * AuthError with a short safe message.
 */
export function createTokenVerifier(
  issuers: IssuerConfig[],
  opts?: { clockToleranceSeconds?: number },
): { verify(token: string): Promise<ExternalIdentity> } {
  const clockTolerance = opts?.clockToleranceSeconds ?? 5;
  const byIssuer = new Map<string, IssuerEntry>();
  for (const config of issuers) {
    if (byIssuer.has(config.issuer)) throw new TypeError(`issuer ${config.issuer} is configured twice`);
    byIssuer.set(config.issuer, toEntry(config));
  }

  return {
    async verify(token: string): Promise<ExternalIdentity> {
      if (typeof token !== 'string' || token.length === 0) throw new AuthError('malformed token');
      let unverifiedIssuer: unknown;
      try {
        unverifiedIssuer = decodeJwt(token).iss;
      } catch {
        throw new AuthError('malformed token');
      }
      const entry = typeof unverifiedIssuer === 'string' ? byIssuer.get(unverifiedIssuer) : undefined;
      if (!entry) throw new AuthError('unknown issuer');

      let payload: JWTPayload;
      try {
        payload = await verifyAgainstKeySet(token, entry.getKey, {
          issuer: entry.issuer,
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
    },
  };
}
