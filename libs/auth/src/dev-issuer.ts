import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { createFileExclusive, readIfExists, writeFileAtomic } from './key-files';

/** The local development issuer (`iss` of the tokens that `npm run rh -- token` prints). */
export const DEV_ISSUER = 'urn:remote-help:dev-issuer';
export const DEFAULT_AUDIENCE = 'remote-help';

const ALG = 'ES256';
const PRIVATE_FILE = 'dev-issuer.private.jwk.json';
const JWKS_FILE = 'dev-issuer.jwks.json';

function isEs256PrivateJwk(value: unknown): value is JWK {
  const jwk = value as JWK | null;
  return typeof jwk === 'object' && jwk !== null && jwk.kty === 'EC' && jwk.crv === 'P-256' && typeof jwk.x === 'string' && typeof jwk.y === 'string' && typeof jwk.d === 'string';
}

async function loadPrivateJwk(path: string): Promise<JWK | undefined> {
  const text = await readIfExists(path);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not valid JSON`);
  }
  if (!isEs256PrivateJwk(parsed)) throw new Error(`${path} is not an ES256 (P-256) private JWK`);
  return parsed;
}

async function publicJwkOf(privateJwk: JWK): Promise<JWK> {
  const { kty, crv, x, y } = privateJwk;
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint({ kty, crv, x, y }));
  return { kty, crv, x, y, kid, alg: ALG, use: 'sig' };
}

/**
 * The dev issuer's ES256 key pair: generated on the first call into
 * `${dir}/dev-issuer.private.jwk.json` (mode 0600) and `${dir}/dev-issuer.jwks.json`
 * (public keys, with kid, alg, use); later calls load them. Safe when several
 * processes call it at once: the private key is published atomically without
 * overwriting, the loser of a race loads the winner's key, and the JWKS file is
 * always derived from the private key on disk.
 */
export async function ensureDevIssuerKeys(dir: string): Promise<{ privateJwk: JWK; jwks: { keys: JWK[] } }> {
  const privatePath = join(dir, PRIVATE_FILE);
  const jwksPath = join(dir, JWKS_FILE);

  let privateJwk = await loadPrivateJwk(privatePath);
  if (!privateJwk) {
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    const generated = await exportJWK(privateKey);
    const { kty, crv, x, y } = generated;
    const kid = await calculateJwkThumbprint({ kty, crv, x, y });
    const candidate: JWK = { ...generated, kid, alg: ALG, use: 'sig' };
    const created = await createFileExclusive(privatePath, `${JSON.stringify(candidate, null, 2)}\n`, 0o600);
    privateJwk = created ? candidate : await loadPrivateJwk(privatePath);
    if (!privateJwk) throw new Error(`${privatePath} vanished while being created`);
  }

  const jwks = { keys: [await publicJwkOf(privateJwk)] };
  const jwksText = `${JSON.stringify(jwks, null, 2)}\n`;
  if ((await readIfExists(jwksPath)) !== jwksText) await writeFileAtomic(jwksPath, jwksText, 0o644);
  return { privateJwk, jwks };
}

/**
 * A token from the dev issuer for a user (`upn`) or a dedicated device (`deviceId`),
 * exactly one of them. Claims: iss, aud, sub (the UPN or device id), tid, iat, nbf,
 * exp, jti; users also get preferred_username and upn, devices deviceid. Header: kid.
 */
export async function signDevToken(opts: { keysDir: string; tenantId: string; upn?: string; deviceId?: string; ttlSeconds?: number; audience?: string; issuer?: string }): Promise<string> {
  const { keysDir, tenantId, upn, deviceId } = opts;
  const ttl = opts.ttlSeconds ?? 3600;
  if (typeof tenantId !== 'string' || tenantId.length === 0) throw new TypeError('tenantId is required');
  if ((upn === undefined) === (deviceId === undefined)) throw new TypeError('exactly one of upn and deviceId is required');
  const subject = (upn ?? deviceId) as string;
  if (typeof subject !== 'string' || subject.length === 0) throw new TypeError('upn / deviceId must not be empty');
  if (!Number.isInteger(ttl) || ttl <= 0) throw new RangeError('ttlSeconds must be a positive integer');

  const { privateJwk } = await ensureDevIssuerKeys(keysDir);
  const key = await importJWK(privateJwk, ALG);
  const now = Math.floor(Date.now() / 1000);
  const claims = upn !== undefined ? { tid: tenantId, preferred_username: upn, upn } : { tid: tenantId, deviceid: deviceId };

  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALG, typ: 'JWT', kid: privateJwk.kid ?? (await publicJwkOf(privateJwk)).kid })
    .setIssuer(opts.issuer ?? DEV_ISSUER)
    .setAudience(opts.audience ?? DEFAULT_AUDIENCE)
    .setSubject(subject)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + ttl)
    .setJti(randomUUID())
    .sign(key);
}
