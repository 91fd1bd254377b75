import { join } from 'node:path';
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, importJWK, importPKCS8, importSPKI, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { AuthError, toAuthError } from './auth-error';
import { VerifiedTokenCache } from './verified-token-cache';
import { callerSubject, parseCaller, type Caller } from './caller';
import { createFileExclusive, readIfExists, writeFileAtomic } from './key-files';

/** `iss` of the gateway's internal tokens. */
export const INTERNAL_ISSUER = 'remote-help-gateway';
/**
 * `iss` of service-to-service tokens (e.g. session-service asking rbac-service for a decision),
 * signed with a second key pair that the subgraph services share and the gateway does not use.
 * Subgraphs accept them only with a caller of kind 'service' and only on /internal routes.
 */
export const SERVICE_ISSUER = 'remote-help-services';
/** `typ` header of internal tokens, so that no other JWT can pass for one. */
export const INTERNAL_TOKEN_TYPE = 'rh-internal+jwt';
export const INTERNAL_TOKEN_MAX_TTL_SECONDS = 60;
/** A cached internal token is reused while it has more than this many seconds left. */
export const INTERNAL_TOKEN_REUSE_MIN_REMAINING_SECONDS = 20;

type Key = Awaited<ReturnType<typeof importPKCS8>>;

const ALG = 'ES256';
const PRIVATE_FILE = 'internal.private.pem';
const PUBLIC_FILE = 'internal.public.pem';
const CACHE_MAX_ENTRIES = 10_000;
const CLOCK_TOLERANCE_SECONDS = 5;

async function publicPemOf(privateKeyPem: string): Promise<string> {
  const privateKey = await importPKCS8(privateKeyPem, ALG, { extractable: true });
  const { kty, crv, x, y } = await exportJWK(privateKey);
  return exportSPKI((await importJWK({ kty, crv, x, y }, ALG)) as Key);
}

/**
 * The gateway's internal signing key pair (ES256): generated on the first call into
 * `${dir}/internal.private.pem` (PKCS#8, mode 0600) and `${dir}/internal.public.pem`
 * (SPKI); later calls load them. Race-safe like ensureDevIssuerKeys.
 */
export async function ensureInternalKeys(dir: string, baseName = 'internal'): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const privatePath = join(dir, baseName === 'internal' ? PRIVATE_FILE : `${baseName}.private.pem`);
  const publicPath = join(dir, baseName === 'internal' ? PUBLIC_FILE : `${baseName}.public.pem`);

  let privateKeyPem = await readIfExists(privatePath);
  if (privateKeyPem === undefined) {
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    const candidate = await exportPKCS8(privateKey);
    const created = await createFileExclusive(privatePath, candidate.endsWith('\n') ? candidate : `${candidate}\n`, 0o600);
    privateKeyPem = created ? candidate : await readIfExists(privatePath);
    if (privateKeyPem === undefined) throw new Error(`${privatePath} vanished while being created`);
  }
  privateKeyPem = privateKeyPem.trim() + '\n';

  let publicKeyPem: string;
  try {
    publicKeyPem = (await publicPemOf(privateKeyPem)).trim() + '\n';
  } catch {
    throw new Error(`${privatePath} is not an ES256 (P-256) PKCS#8 private key`);
  }
  if ((await readIfExists(publicPath)) !== publicKeyPem) await writeFileAtomic(publicPath, publicKeyPem, 0o644);
  return { privateKeyPem, publicKeyPem };
}

/**
 * Signs the gateway -> subgraph tokens: iss INTERNAL_ISSUER, aud (the subgraph name),
 * sub, iat, exp (ttl <= 60 s), `caller` (the Caller) and `rid` (request id).
 * Tokens are cached per (caller, audience) and reused while they have more than 20 s
 * left, so most requests do not sign; a reused token carries the `rid` of the request
 * that minted it.
 */
export function createInternalTokenSigner(privateKeyPem: string, opts?: { ttlSeconds?: number; issuer?: string }): { sign(caller: Caller, audience: string, requestId?: string): Promise<string> } {
  const issuer = opts?.issuer ?? INTERNAL_ISSUER;
  const ttl = opts?.ttlSeconds ?? INTERNAL_TOKEN_MAX_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > INTERNAL_TOKEN_MAX_TTL_SECONDS) {
    throw new RangeError(`ttlSeconds must be an integer from 1 to ${INTERNAL_TOKEN_MAX_TTL_SECONDS}`);
  }
  let key: Promise<Key> | undefined;
  const cache = new Map<string, { token: string; exp: number }>();

  function prune(now: number): void {
    if (cache.size < CACHE_MAX_ENTRIES) return;
    for (const [k, v] of cache) if (v.exp - now <= INTERNAL_TOKEN_REUSE_MIN_REMAINING_SECONDS) cache.delete(k);
    for (const k of cache.keys()) {
      if (cache.size < CACHE_MAX_ENTRIES) break;
      cache.delete(k); // oldest first (insertion order)
    }
  }

  return {
    async sign(caller: Caller, audience: string, requestId?: string): Promise<string> {
      const canonical = parseCaller(caller);
      if (!canonical) throw new TypeError('invalid caller');
      if (typeof audience !== 'string' || audience.length === 0) throw new TypeError('audience is required');
      const cacheKey = JSON.stringify([canonical, audience]);
      const now = Math.floor(Date.now() / 1000);
      const hit = cache.get(cacheKey);
      if (hit && hit.exp - now > INTERNAL_TOKEN_REUSE_MIN_REMAINING_SECONDS) return hit.token;

      key ??= importPKCS8(privateKeyPem, ALG);
      const exp = now + ttl;
      const token = await new SignJWT({ caller: canonical, ...(requestId !== undefined ? { rid: requestId } : {}) })
        .setProtectedHeader({ alg: ALG, typ: INTERNAL_TOKEN_TYPE })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(callerSubject(canonical))
        .setIssuedAt(now)
        .setExpirationTime(exp)
        .sign(await key);
      cache.delete(cacheKey);
      prune(now);
      cache.set(cacheKey, { token, exp });
      return token;
    },
  };
}

/**
 * Verifies internal tokens in a subgraph: ES256 only, iss INTERNAL_ISSUER, aud = this
 * subgraph's name, a lifetime of at most 60 s, and a well-formed `caller` claim.
 * Every failure is an AuthError.
 */
export function createInternalTokenVerifier(publicKeyPem: string, audience: string, opts?: { issuer?: string }): { verify(token: string): Promise<{ caller: Caller; requestId?: string }> } {
  const issuer = opts?.issuer ?? INTERNAL_ISSUER;
  if (typeof audience !== 'string' || audience.length === 0) throw new TypeError('audience is required');
  let key: Promise<Key> | undefined;
  const verified = new VerifiedTokenCache<{ caller: Caller; requestId?: string; expMs: number }>();

  return {
    async verify(token: string): Promise<{ caller: Caller; requestId?: string }> {
      const known = typeof token === 'string' ? verified.get(token) : undefined;
      if (known) return known.requestId === undefined ? { caller: known.caller } : { caller: known.caller, requestId: known.requestId };
      const result = await verifyOnce(token);
      verified.set(token, result, result.expMs);
      return result.requestId === undefined ? { caller: result.caller } : { caller: result.caller, requestId: result.requestId };
    },
  };

  async function verifyOnce(token: string): Promise<{ caller: Caller; requestId?: string; expMs: number }> {
    if (typeof token !== 'string' || token.length === 0) throw new AuthError('malformed token');
    key ??= importSPKI(publicKeyPem, ALG);
    const publicKey = await key; // a bad configured key is a server error, not an AuthError
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, publicKey, {
        issuer,
        audience,
        algorithms: [ALG],
        typ: INTERNAL_TOKEN_TYPE,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['iat', 'exp', 'sub'],
      }));
    } catch (err) {
      throw toAuthError(err);
    }
    if ((payload.exp as number) - (payload.iat as number) > INTERNAL_TOKEN_MAX_TTL_SECONDS) {
      throw new AuthError('token lifetime too long');
    }
    const caller = parseCaller(payload['caller']);
    if (!caller || payload.sub !== callerSubject(caller)) throw new AuthError('malformed caller');
    const rid = payload['rid'];
    if (rid !== undefined && typeof rid !== 'string') throw new AuthError('malformed token');
    const expMs = (payload.exp as number) * 1000;
    return rid === undefined ? { caller, expMs } : { caller, requestId: rid, expMs };
  }
}
