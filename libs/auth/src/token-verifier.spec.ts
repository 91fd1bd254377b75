import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
import { AuthError } from './auth-error';
import { DEFAULT_AUDIENCE, DEV_ISSUER, ensureDevIssuerKeys, signDevToken } from './dev-issuer';
import { createTokenVerifier, discoverIssuer, type IssuerConfig } from './token-verifier';
import { base64url, expectAuthError, nowSeconds, tempDir } from './test-helpers';

describe('token verifier with the dev issuer (local JWKS)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let keysDir: string;
  let privateJwk: JWK;
  let jwks: { keys: JWK[] };
  let verifier: ReturnType<typeof createTokenVerifier>;

  /** Signs arbitrary claims with the dev issuer's own key (kid set), for the negative cases. */
  async function signWithDevKey(claims: JWTPayload): Promise<string> {
    const key = await importJWK(privateJwk, 'ES256');
    return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid }).sign(key);
  }
  function validClaims(extra: JWTPayload = {}): JWTPayload {
    const now = nowSeconds();
    return { iss: DEV_ISSUER, aud: DEFAULT_AUDIENCE, sub: 'a@b.c', tid: 't1', upn: 'a@b.c', iat: now, nbf: now, exp: now + 300, ...extra };
  }

  beforeAll(async () => {
    dir = await tempDir();
    keysDir = join(dir.path, 'keys');
    ({ privateJwk, jwks } = await ensureDevIssuerKeys(keysDir));
    verifier = createTokenVerifier([{ issuer: DEV_ISSUER, audience: DEFAULT_AUDIENCE, localJwks: jwks }]);
  });
  afterAll(async () => {
    await dir.remove();
  });

  it('verifies a user token and maps its claims', async () => {
    const token = await signDevToken({ keysDir, tenantId: 'tenant-1', upn: 'alice@contoso.com', ttlSeconds: 120 });
    const identity = await verifier.verify(token);
    expect(identity).toEqual({ issuer: DEV_ISSUER, tenantId: 'tenant-1', upn: 'alice@contoso.com', expiresAt: expect.any(Date) });
    expect(identity).not.toHaveProperty('deviceId');
    // The token's own expiry, to the second (the claim), 120 s after it was issued.
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBe(120);
    expect(identity.expiresAt.getTime()).toBe(claims.exp * 1000);
  });

  it('verifies a device token and maps its claims', async () => {
    const token = await signDevToken({ keysDir, tenantId: 'tenant-2', deviceId: 'kiosk-7' });
    const identity = await verifier.verify(token);
    expect(identity).toEqual({ issuer: DEV_ISSUER, tenantId: 'tenant-2', deviceId: 'kiosk-7', expiresAt: expect.any(Date) });
    expect(identity).not.toHaveProperty('upn');
    expect(identity).not.toHaveProperty('userObjectId');
  });

  it('maps oid and custom claim names', async () => {
    const custom = createTokenVerifier([
      {
        issuer: DEV_ISSUER,
        audience: ['x', DEFAULT_AUDIENCE],
        localJwks: jwks,
        claims: { tenant: 'tenant_id', userObjectId: 'object_id', upn: ['email'], device: 'dev' },
      },
    ]);
    const token = await signWithDevKey(validClaims({ tid: undefined, upn: undefined, tenant_id: 'T', object_id: 'O', email: 'e@x' }));
    expect(await custom.verify(token)).toEqual({ issuer: DEV_ISSUER, tenantId: 'T', userObjectId: 'O', upn: 'e@x', expiresAt: expect.any(Date) });
  });

  it('accepts a token within the clock tolerance', async () => {
    expect(await verifier.verify(await signWithDevKey(validClaims({ nbf: nowSeconds() + 2 })))).toMatchObject({ tenantId: 't1' });
  });

  it('refuses an expired token', async () => {
    const now = nowSeconds();
    await expectAuthError(verifier.verify(await signWithDevKey(validClaims({ iat: now - 600, nbf: now - 600, exp: now - 60 }))), 'token expired');
  });

  it('refuses a token whose nbf is in the future', async () => {
    await expectAuthError(verifier.verify(await signWithDevKey(validClaims({ nbf: nowSeconds() + 120 }))), 'token not yet valid');
  });

  it('refuses a token for another audience', async () => {
    const token = await signDevToken({ keysDir, tenantId: 't', upn: 'a@b', audience: 'someone-else' });
    await expectAuthError(verifier.verify(token), 'wrong audience');
  });

  it('refuses a token from an unknown issuer, and one without iss', async () => {
    const token = await signDevToken({ keysDir, tenantId: 't', upn: 'a@b', issuer: 'https://evil.example' });
    await expectAuthError(verifier.verify(token), 'unknown issuer');
    await expectAuthError(verifier.verify(await signWithDevKey(validClaims({ iss: undefined }))), 'unknown issuer');
  });

  it('refuses an unsigned (alg: none) token', async () => {
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(validClaims())}.`;
    await expectAuthError(verifier.verify(token), 'unsupported algorithm');
  });

  it('refuses an HS256 token keyed with the public key bytes (algorithm confusion)', async () => {
    const publicJwk = jwks.keys[0]!;
    for (const secret of [JSON.stringify(publicJwk), JSON.stringify(jwks), publicJwk.x!]) {
      const token = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'HS256', kid: publicJwk.kid }).sign(new TextEncoder().encode(secret));
      await expectAuthError(verifier.verify(token), 'unsupported algorithm');
    }
  });

  it('refuses a token signed by another ES256 key, with the real kid or another one', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    for (const kid of [privateJwk.kid!, 'another-kid']) {
      const token = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey);
      await expectAuthError(verifier.verify(token), 'invalid signature');
    }
  });

  it('refuses a token without a tenant claim', async () => {
    await expectAuthError(verifier.verify(await signWithDevKey(validClaims({ tid: undefined }))), 'token has no tenant');
    await expectAuthError(verifier.verify(await signWithDevKey(validClaims({ tid: '' }))), 'token has no tenant');
  });

  it('refuses a token with neither a user nor a device subject', async () => {
    const token = await signWithDevKey(validClaims({ upn: undefined, sub: 'x' }));
    await expectAuthError(verifier.verify(token), 'token has no user or device subject');
  });

  it('refuses a token without exp, and garbage', async () => {
    await expectAuthError(verifier.verify(await signWithDevKey(validClaims({ exp: undefined }))), 'malformed token');
    await expectAuthError(verifier.verify('not.a.jwt'), 'malformed token');
    await expectAuthError(verifier.verify(''), 'malformed token');
  });

  it('tries each key when a kid-less token matches several keys of the set', async () => {
    const other = await exportJWK((await generateKeyPair('ES256')).publicKey);
    const twoKeys = createTokenVerifier([{ issuer: DEV_ISSUER, audience: DEFAULT_AUDIENCE, localJwks: { keys: [other, { ...jwks.keys[0]!, kid: undefined }] } }]);
    const key = await importJWK(privateJwk, 'ES256');
    const token = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'ES256' }).sign(key);
    expect(await twoKeys.verify(token)).toMatchObject({ tenantId: 't1', upn: 'a@b.c' });
    const { privateKey: stranger } = await generateKeyPair('ES256');
    await expectAuthError(twoKeys.verify(await new SignJWT(validClaims()).setProtectedHeader({ alg: 'ES256' }).sign(stranger)), 'invalid signature');
  });

  it('refuses configurations that allow none or HS*, or that name no key source', () => {
    const base: IssuerConfig = { issuer: 'i', audience: 'a', localJwks: jwks };
    expect(() => createTokenVerifier([{ ...base, algorithms: ['ES256', 'HS256'] }])).toThrow(/HS256/);
    expect(() => createTokenVerifier([{ ...base, algorithms: ['none'] }])).toThrow(/none/);
    expect(() => createTokenVerifier([{ issuer: 'i', audience: 'a' }])).toThrow(/jwksUri/);
    expect(() => createTokenVerifier([base, base])).toThrow(/twice/);
  });

  it('throws AuthError instances (for the gateway to turn into UNAUTHENTICATED)', async () => {
    const err = await verifier.verify('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toBeInstanceOf(Error);
    expect((err as AuthError).code).toBe('UNAUTHENTICATED');
  });
});

describe('token verifier with a remote OIDC issuer', () => {
  let server: Server;
  let base: string;
  let published: JWK[] = [];
  let jwksFetches = 0;
  const keys = new Map<string, PrivateKey>();

  async function addKey(kid: string): Promise<JWK> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    keys.set(kid, privateKey);
    return { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  }
  async function remoteToken(kid: string, extra: JWTPayload = {}): Promise<string> {
    const now = nowSeconds();
    return new SignJWT({ tid: 'entra-tenant', oid: 'object-1', preferred_username: 'bob@fabrikam.com', ...extra })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(base)
      .setAudience('api://remote-help')
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 300)
      .sign(keys.get(kid)!);
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ issuer: base, jwks_uri: `${base}/keys`, authorization_endpoint: `${base}/authorize` }));
      } else if (req.url === '/keys') {
        jwksFetches += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: published }));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    published = [await addKey('key-1')];
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('discovers the issuer and its jwks_uri (from the issuer URL or the discovery URL)', async () => {
    expect(await discoverIssuer(base, 'api://remote-help')).toEqual({ issuer: base, audience: 'api://remote-help', jwksUri: `${base}/keys` });
    expect(await discoverIssuer(`${base}/.well-known/openid-configuration`, 'a')).toEqual({ issuer: base, audience: 'a', jwksUri: `${base}/keys` });
    await expect(discoverIssuer(`${base}/nowhere/.well-known/openid-configuration`, 'a')).rejects.toThrow(/404/);
  });

  it('verifies tokens against the remote JWKS and picks up a rotated key after the 60 s cooldown', async () => {
    const config = await discoverIssuer(base, 'api://remote-help');
    const verifier = createTokenVerifier([config]);
    const fetchesBefore = jwksFetches;

    expect(await verifier.verify(await remoteToken('key-1'))).toEqual({
      issuer: base,
      tenantId: 'entra-tenant',
      userObjectId: 'object-1',
      upn: 'bob@fabrikam.com',
      expiresAt: expect.any(Date),
    });
    expect(await verifier.verify(await remoteToken('key-1'))).toMatchObject({ userObjectId: 'object-1' });
    expect(jwksFetches - fetchesBefore).toBe(1); // cached

    // The provider rotates: it publishes a new key and signs with it.
    const rotated = await addKey('key-2');
    published = [published[0]!, rotated];
    const newToken = await remoteToken('key-2');
    // Within the cooldown an unknown kid does not trigger a refetch.
    await expectAuthError(verifier.verify(newToken), 'invalid signature');
    expect(jwksFetches - fetchesBefore).toBe(1);

    // A minute later the unknown kid makes the verifier refetch once, and the token is accepted.
    // (Tokens are made before Date.now is moved: jose checks exp/nbf against `new Date()`.)
    const oldToken = await remoteToken('key-1');
    await addKey('key-3');
    const unpublishedToken = await remoteToken('key-3');
    const realNow = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => realNow + 61_000);
    expect(await verifier.verify(newToken)).toMatchObject({ tenantId: 'entra-tenant', userObjectId: 'object-1' });
    expect(jwksFetches - fetchesBefore).toBe(2);
    expect(await verifier.verify(oldToken)).toMatchObject({ tenantId: 'entra-tenant' });

    // Straight after that refetch, another unknown kid is refused without fetching again.
    await expectAuthError(verifier.verify(unpublishedToken), 'invalid signature');
    expect(jwksFetches - fetchesBefore).toBe(2);
  });

  it('refuses a remote token with a wrong audience or an unlisted algorithm', async () => {
    const verifier = createTokenVerifier([{ issuer: base, audience: 'api://other', jwksUri: `${base}/keys` }]);
    await expectAuthError(verifier.verify(await remoteToken('key-1')), 'wrong audience');
    const esOnly = createTokenVerifier([{ issuer: base, audience: 'api://remote-help', jwksUri: `${base}/keys`, algorithms: ['ES256'] }]);
    await expectAuthError(esOnly.verify(await remoteToken('key-1')), 'unsupported algorithm');
  });

  it('answers "issuer keys unavailable" when the JWKS cannot be fetched', async () => {
    const down = createTokenVerifier([{ issuer: base, audience: 'api://remote-help', jwksUri: `${base}/missing-keys` }]);
    await expectAuthError(down.verify(await remoteToken('key-1')), 'issuer keys unavailable');
  });

  it('serves several issuers at once, each with its own keys', async () => {
    const devDir = await tempDir();
    try {
      const { jwks } = await ensureDevIssuerKeys(devDir.path);
      const verifier = createTokenVerifier([
        { issuer: base, audience: 'api://remote-help', jwksUri: `${base}/keys` },
        { issuer: DEV_ISSUER, audience: DEFAULT_AUDIENCE, localJwks: jwks },
      ]);
      expect((await verifier.verify(await remoteToken('key-1'))).issuer).toBe(base);
      const dev = await signDevToken({ keysDir: devDir.path, tenantId: 't', upn: 'u@x' });
      expect((await verifier.verify(dev)).issuer).toBe(DEV_ISSUER);
      // A token claiming the remote issuer but signed with the dev key is refused.
      const { privateJwk } = await ensureDevIssuerKeys(devDir.path);
      const forged = await new SignJWT({ tid: 't', oid: 'o' })
        .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid })
        .setIssuer(base)
        .setAudience('api://remote-help')
        .setExpirationTime('5m')
        .sign(await importJWK(privateJwk, 'ES256'));
      await expectAuthError(verifier.verify(forged), 'invalid signature');
    } finally {
      await devDir.remove();
    }
  });
});
