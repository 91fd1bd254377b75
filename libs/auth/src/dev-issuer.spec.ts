import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { DEFAULT_AUDIENCE, DEV_ISSUER, ensureDevIssuerKeys, signDevToken } from './dev-issuer';
import { nowSeconds, tempDir } from './test-helpers';

describe('dev issuer', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('generates the key pair once (mkdir -p, private file 0600) and reloads it later', async () => {
    const keysDir = join(dir.path, 'nested', 'keys');
    const first = await ensureDevIssuerKeys(keysDir);
    expect(first.privateJwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(typeof first.privateJwk.d).toBe('string');
    const kid = first.privateJwk.kid;
    expect(typeof kid).toBe('string');
    expect(first.jwks.keys).toHaveLength(1);
    expect(first.jwks.keys[0]).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: first.privateJwk.x,
      y: first.privateJwk.y,
      kid,
      alg: 'ES256',
      use: 'sig',
    });
    expect(first.jwks.keys[0]).not.toHaveProperty('d');

    const privatePath = join(keysDir, 'dev-issuer.private.jwk.json');
    const jwksPath = join(keysDir, 'dev-issuer.jwks.json');
    expect((await stat(privatePath)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(jwksPath, 'utf8'))).toEqual(first.jwks);
    expect(JSON.parse(await readFile(privatePath, 'utf8'))).toEqual(first.privateJwk);

    const second = await ensureDevIssuerKeys(keysDir);
    expect(second.privateJwk.kid).toBe(kid);
    expect(second.privateJwk.d).toBe(first.privateJwk.d);
    expect(second.jwks).toEqual(first.jwks);
  });

  it('ends with one key pair when several callers race on an empty directory', async () => {
    const keysDir = join(dir.path, 'keys');
    const results = await Promise.all(Array.from({ length: 8 }, () => ensureDevIssuerKeys(keysDir)));
    const onDisk = JSON.parse(await readFile(join(keysDir, 'dev-issuer.private.jwk.json'), 'utf8'));
    for (const r of results) {
      expect(r.privateJwk.kid).toBe(onDisk.kid);
      expect(r.privateJwk.d).toBe(onDisk.d);
    }
    expect((await readdir(keysDir)).sort()).toEqual(['dev-issuer.jwks.json', 'dev-issuer.private.jwk.json']);
  });

  it('rewrites a missing JWKS file from the private key', async () => {
    const keysDir = join(dir.path, 'keys');
    const first = await ensureDevIssuerKeys(keysDir);
    await (await import('node:fs/promises')).unlink(join(keysDir, 'dev-issuer.jwks.json'));
    const second = await ensureDevIssuerKeys(keysDir);
    expect(second.jwks).toEqual(first.jwks);
    expect(JSON.parse(await readFile(join(keysDir, 'dev-issuer.jwks.json'), 'utf8'))).toEqual(first.jwks);
  });

  it('signs a user token with the documented claims and header', async () => {
    const keysDir = join(dir.path, 'keys');
    const before = nowSeconds();
    const token = await signDevToken({ keysDir, tenantId: 'tenant-1', upn: 'alice@contoso.com', ttlSeconds: 600 });
    const { privateJwk } = await ensureDevIssuerKeys(keysDir);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', kid: privateJwk.kid });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: DEV_ISSUER,
      aud: DEFAULT_AUDIENCE,
      sub: 'alice@contoso.com',
      tid: 'tenant-1',
      preferred_username: 'alice@contoso.com',
      upn: 'alice@contoso.com',
    });
    expect(claims).not.toHaveProperty('deviceid');
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.exp).toBe(claims.iat! + 600);
    expect(typeof claims.jti).toBe('string');
  });

  it('signs a device token (deviceid, no user claims), default ttl 3600, custom audience and issuer', async () => {
    const keysDir = join(dir.path, 'keys');
    const token = await signDevToken({ keysDir, tenantId: 't', deviceId: 'dev-42', audience: 'aud-x', issuer: 'iss-x' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: 'iss-x', aud: 'aud-x', sub: 'dev-42', tid: 't', deviceid: 'dev-42' });
    expect(claims).not.toHaveProperty('upn');
    expect(claims).not.toHaveProperty('preferred_username');
    expect(claims.exp! - claims.iat!).toBe(3600);
  });

  it('requires exactly one of upn and deviceId, and a positive ttl', async () => {
    const keysDir = join(dir.path, 'keys');
    await expect(signDevToken({ keysDir, tenantId: 't' })).rejects.toThrow(/exactly one/);
    await expect(signDevToken({ keysDir, tenantId: 't', upn: 'a@b', deviceId: 'd' })).rejects.toThrow(/exactly one/);
    await expect(signDevToken({ keysDir, tenantId: '', upn: 'a@b' })).rejects.toThrow(/tenantId/);
    await expect(signDevToken({ keysDir, tenantId: 't', upn: 'a@b', ttlSeconds: 0 })).rejects.toThrow(/ttl/);
  });
});
