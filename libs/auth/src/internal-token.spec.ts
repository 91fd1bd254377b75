import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, exportPKCS8, generateKeyPair, importPKCS8, SignJWT, type JWTPayload } from 'jose';
import type { Caller } from './caller';
import { signDevToken } from './dev-issuer';
import { createInternalTokenSigner, createInternalTokenVerifier, ensureInternalKeys, INTERNAL_ISSUER, INTERNAL_TOKEN_TYPE, SERVICE_ISSUER } from './internal-token';
import { AuthError } from './auth-error';
import { base64url, expectAuthError, nowSeconds, tempDir } from './test-helpers';

const alice: Caller = { kind: 'user', tenantId: 'tenant-1', userId: 'user-1', upn: 'alice@contoso.com' };
const kiosk: Caller = { kind: 'device', tenantId: 'tenant-1', deviceId: 'device-9' };
const reporter: Caller = { kind: 'service', service: 'reporting-service' };

describe('internal tokens', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let keys: { privateKeyPem: string; publicKeyPem: string };

  /** Signs arbitrary claims with the gateway's key, for the negative cases. */
  async function signRaw(claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: INTERNAL_TOKEN_TYPE, ...header }).sign(await importPKCS8(keys.privateKeyPem, 'ES256'));
  }
  function claimsFor(caller: unknown, extra: JWTPayload = {}): JWTPayload {
    const now = nowSeconds();
    return { iss: INTERNAL_ISSUER, aud: 'tenant-service', sub: 'user:user-1', iat: now, exp: now + 30, caller, ...extra };
  }

  beforeAll(async () => {
    dir = await tempDir();
    keys = await ensureInternalKeys(join(dir.path, 'keys'));
  });
  afterAll(async () => {
    await dir.remove();
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('generates the key pair once (private file 0600) and reloads it', async () => {
    const keysDir = join(dir.path, 'keys');
    // (the marker is split so that no scanner takes this test for committed key material)
    expect(keys.privateKeyPem).toMatch(new RegExp(`^-----BEGIN ${'PRIVATE'} KEY-----\n`));
    expect(keys.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect((await stat(join(keysDir, 'internal.private.pem'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(keysDir, 'internal.private.pem'), 'utf8')).toBe(keys.privateKeyPem);
    expect(await readFile(join(keysDir, 'internal.public.pem'), 'utf8')).toBe(keys.publicKeyPem);
    expect(await ensureInternalKeys(keysDir)).toEqual(keys);
  });

  it('ends with one key pair when several callers race on an empty directory', async () => {
    const keysDir = join(dir.path, 'race');
    const results = await Promise.all(Array.from({ length: 8 }, () => ensureInternalKeys(keysDir)));
    for (const r of results) expect(r).toEqual(results[0]);
    expect(await readFile(join(keysDir, 'internal.private.pem'), 'utf8')).toBe(results[0]!.privateKeyPem);
  });

  it('round-trips users, devices and services with the request id', async () => {
    const signer = createInternalTokenSigner(keys.privateKeyPem);
    const verifier = createInternalTokenVerifier(keys.publicKeyPem, 'tenant-service');
    for (const caller of [alice, kiosk, reporter, { ...reporter, tenantId: 'tenant-1' } as Caller]) {
      const token = await signer.sign(caller, 'tenant-service', 'req-1');
      expect(await verifier.verify(token)).toEqual({ caller, requestId: 'req-1' });
    }
    const noRid = await createInternalTokenSigner(keys.privateKeyPem).sign(alice, 'tenant-service');
    expect(await verifier.verify(noRid)).toEqual({ caller: alice });
  });

  it('writes the documented claims, expiring within 60 s', async () => {
    const before = nowSeconds();
    const token = await createInternalTokenSigner(keys.privateKeyPem).sign(alice, 'rbac-service', 'req-2');
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', typ: INTERNAL_TOKEN_TYPE });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: INTERNAL_ISSUER, aud: 'rbac-service', sub: 'user:user-1', caller: alice, rid: 'req-2' });
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(60);
    expect(claims.exp! - nowSeconds()).toBeLessThanOrEqual(60);
    expect(claims.exp! - nowSeconds()).toBeGreaterThan(20);

    const short = decodeJwt(await createInternalTokenSigner(keys.privateKeyPem, { ttlSeconds: 30 }).sign(alice, 'a'));
    expect(short.exp! - short.iat!).toBe(30);
    expect(() => createInternalTokenSigner(keys.privateKeyPem, { ttlSeconds: 61 })).toThrow(RangeError);
    expect(() => createInternalTokenSigner(keys.privateKeyPem, { ttlSeconds: 3600 })).toThrow(RangeError);
  });

  it('reuses a cached token per (caller, audience) while it has more than 20 s left', async () => {
    const signer = createInternalTokenSigner(keys.privateKeyPem);
    const first = await signer.sign(alice, 'tenant-service', 'req-a');
    expect(await signer.sign(alice, 'tenant-service', 'req-b')).toBe(first);
    // Same caller with its properties in another order: same cache entry.
    expect(await signer.sign({ upn: alice.upn, userId: alice.userId, tenantId: alice.tenantId, kind: 'user' }, 'tenant-service')).toBe(first);
    expect(await signer.sign(alice, 'rbac-service')).not.toBe(first);
    expect(await signer.sign({ ...alice, userId: 'user-2' }, 'tenant-service')).not.toBe(first);

    const realNow = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => realNow + 39_000); // 21 s left at most: still reused
    expect(await signer.sign(alice, 'tenant-service')).toBe(first);
    jest.spyOn(Date, 'now').mockImplementation(() => realNow + 41_000); // under 20 s left: a fresh token
    const second = await signer.sign(alice, 'tenant-service');
    expect(second).not.toBe(first);
    expect(decodeJwt(second).exp).toBeGreaterThan(decodeJwt(first).exp!);
  });

  it('refuses a token for another subgraph', async () => {
    const token = await createInternalTokenSigner(keys.privateKeyPem).sign(alice, 'rbac-service');
    await expectAuthError(createInternalTokenVerifier(keys.publicKeyPem, 'tenant-service').verify(token), 'wrong audience');
  });

  it('refuses a token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const otherSigner = createInternalTokenSigner(await exportPKCS8(privateKey));
    const token = await otherSigner.sign(alice, 'tenant-service');
    await expectAuthError(createInternalTokenVerifier(keys.publicKeyPem, 'tenant-service').verify(token), 'invalid signature');
  });

  it('refuses external tokens, unsigned tokens, other algorithms and other types', async () => {
    const verifier = createInternalTokenVerifier(keys.publicKeyPem, 'tenant-service');
    const devToken = await signDevToken({ keysDir: join(dir.path, 'dev'), tenantId: 't', upn: 'u@x', audience: 'tenant-service', issuer: INTERNAL_ISSUER });
    await expectAuthError(verifier.verify(devToken), 'invalid signature'); // another key (checked before typ and claims)
    const none = `${base64url({ alg: 'none', typ: INTERNAL_TOKEN_TYPE })}.${base64url(claimsFor(alice))}.`;
    await expectAuthError(verifier.verify(none), 'unsupported algorithm');
    const hs = await new SignJWT(claimsFor(alice)).setProtectedHeader({ alg: 'HS256', typ: INTERNAL_TOKEN_TYPE }).sign(new TextEncoder().encode(keys.publicKeyPem));
    await expectAuthError(verifier.verify(hs), 'unsupported algorithm');
    await expectAuthError(verifier.verify(await signRaw(claimsFor(alice), { typ: 'JWT' })), 'wrong token type');
    await expectAuthError(verifier.verify('garbage'), 'malformed token');
  });

  it('checks issuer, expiry, lifetime and the shape of the caller', async () => {
    const verifier = createInternalTokenVerifier(keys.publicKeyPem, 'tenant-service');
    expect(await verifier.verify(await signRaw(claimsFor(alice)))).toEqual({ caller: alice });
    await expectAuthError(verifier.verify(await signRaw(claimsFor(alice, { iss: 'someone' }))), 'unknown issuer');
    const now = nowSeconds();
    await expectAuthError(verifier.verify(await signRaw(claimsFor(alice, { iat: now - 100, exp: now - 40 }))), 'token expired');
    await expectAuthError(verifier.verify(await signRaw(claimsFor(alice, { exp: now + 3600 }))), 'token lifetime too long');
    await expectAuthError(verifier.verify(await signRaw(claimsFor(alice, { exp: undefined }))), 'malformed token');
    for (const bad of [undefined, null, 'alice', { kind: 'admin', tenantId: 't' }, { kind: 'user', tenantId: 't', userId: 'user-1' }, { kind: 'device', tenantId: '', deviceId: 'd' }, { kind: 'service' }]) {
      await expectAuthError(verifier.verify(await signRaw(claimsFor(bad))), 'malformed caller');
    }
    // sub must agree with the caller
    await expectAuthError(verifier.verify(await signRaw(claimsFor(alice, { sub: 'user:someone-else' }))), 'malformed caller');
    await expectAuthError(verifier.verify(await signRaw(claimsFor(alice, { rid: 42 }))), 'malformed token');
  });

  it('refuses to sign for an invalid caller or without an audience', async () => {
    const signer = createInternalTokenSigner(keys.privateKeyPem);
    await expect(signer.sign({ kind: 'user', tenantId: 't' } as unknown as Caller, 'tenant-service')).rejects.toThrow(/caller/);
    await expect(signer.sign(alice, '')).rejects.toThrow(/audience/);
  });
});

describe('service-to-service tokens', () => {
  it('verify only against the service issuer and key', async () => {
    const { generateKeyPair, exportPKCS8, exportSPKI } = await import('jose');
    const pair = async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      return { priv: await exportPKCS8(privateKey), pub: await exportSPKI(publicKey) };
    };
    const gatewayKeys = await pair();
    const serviceKeys = await pair();
    const caller = { kind: 'service' as const, service: 'session-service', tenantId: 't1' };
    const serviceToken = await createInternalTokenSigner(serviceKeys.priv, { issuer: SERVICE_ISSUER }).sign(caller, 'rbac-service');
    await expect(createInternalTokenVerifier(serviceKeys.pub, 'rbac-service', { issuer: SERVICE_ISSUER }).verify(serviceToken)).resolves.toEqual({ caller });
    // not a gateway token: wrong issuer for the gateway's verifier, and wrong key
    await expect(createInternalTokenVerifier(serviceKeys.pub, 'rbac-service').verify(serviceToken)).rejects.toThrow(AuthError);
    await expect(createInternalTokenVerifier(gatewayKeys.pub, 'rbac-service', { issuer: SERVICE_ISSUER }).verify(serviceToken)).rejects.toThrow(AuthError);
    // nor valid for another service
    await expect(createInternalTokenVerifier(serviceKeys.pub, 'tenant-service', { issuer: SERVICE_ISSUER }).verify(serviceToken)).rejects.toThrow(AuthError);
  });
});
