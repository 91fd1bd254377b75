import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { discoverIssuersInBackground, parseOidcIssuers } from './oidc-issuers';
import { expectAuthError, nowSeconds } from './test-helpers';
import { createTokenVerifier, type IssuerConfig } from './token-verifier';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

describe('issuers with a {tenantid} placeholder, tenant bindings, issuers added later', () => {
  let key: PrivateKey;
  let jwks: { keys: JWK[] };
  const ENTRA = 'https://login.microsoftonline.com/{tenantid}/v2.0';
  const sign = (claims: JWTPayload) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setAudience('api://rh')
      .setIssuedAt()
      .setExpirationTime(nowSeconds() + 300)
      .sign(key);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }] };
  });

  it("accepts a multi-tenant issuer whose iss names the token's own tenant", async () => {
    const v = createTokenVerifier([{ issuer: ENTRA, audience: 'api://rh', localJwks: jwks }]);
    const tid = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const identity = await v.verify(await sign({ iss: `https://login.microsoftonline.com/${tid}/v2.0`, tid, oid: 'o', preferred_username: 'a@contoso.com' }));
    expect(identity).toMatchObject({ issuer: ENTRA, tenantId: tid, upn: 'a@contoso.com' });
  });

  it('refuses a multi-tenant token whose iss names another tenant than its tid claim', async () => {
    const v = createTokenVerifier([{ issuer: ENTRA, audience: 'api://rh', localJwks: jwks }]);
    await expectAuthError(v.verify(await sign({ iss: 'https://login.microsoftonline.com/tenant-x/v2.0', tid: 'tenant-y', preferred_username: 'a@b' })), 'issuer does not match the tenant');
    await expectAuthError(v.verify(await sign({ iss: 'https://login.microsoftonline.com/a/b/v2.0', tid: 'a', preferred_username: 'a@b' })), 'unknown issuer');
    await expectAuthError(v.verify(await sign({ iss: ENTRA, tid: 'a', preferred_username: 'a@b' })), 'unknown issuer');
  });

  it('binds an issuer to its tenants', async () => {
    const v = createTokenVerifier([{ issuer: 'https://idp.fabrikam.com', audience: 'api://rh', localJwks: jwks, tenants: ['fabrikam'] }]);
    expect((await v.verify(await sign({ iss: 'https://idp.fabrikam.com', tid: 'fabrikam', preferred_username: 'a@b' }))).tenantId).toBe('fabrikam');
    await expectAuthError(v.verify(await sign({ iss: 'https://idp.fabrikam.com', tid: 'contoso', preferred_username: 'a@b' })), 'issuer not trusted for this tenant');
    expect(() => createTokenVerifier([{ issuer: 'i', audience: 'a', localJwks: jwks, tenants: [''] }])).toThrow(/tenants/);
  });

  it('trusts an issuer added after creation, once', async () => {
    const v = createTokenVerifier([]);
    const token = await sign({ iss: 'https://late.example.com', tid: 't', preferred_username: 'a@b' });
    await expectAuthError(v.verify(token), 'unknown issuer');
    v.addIssuer({ issuer: 'https://late.example.com', audience: 'api://rh', localJwks: jwks });
    expect((await v.verify(token)).tenantId).toBe('t');
    expect(v.issuers()).toEqual(['https://late.example.com']);
    expect(() => v.addIssuer({ issuer: 'https://late.example.com', audience: 'x', localJwks: jwks })).toThrow(/twice/);
  });
});

describe('discoverIssuersInBackground', () => {
  const spec = parseOidcIssuers(JSON.stringify([{ discoveryUrl: 'https://idp.example.com', audience: 'api://rh', tenants: ['t1'], claims: { upn: 'email' } }]))[0]!;

  it('retries a failing discovery with back-off until it answers, then trusts the issuer', async () => {
    let calls = 0;
    const added: IssuerConfig[] = [];
    const discover = jest.fn(async (url: string, audience: string | string[], options?: object) => {
      calls += 1;
      if (calls < 3) throw new Error('connect ECONNREFUSED');
      return { issuer: url, audience, jwksUri: `${url}/keys`, ...options } as IssuerConfig;
    });
    const errors: number[] = [];
    const d = discoverIssuersInBackground([spec], { addIssuer: (c) => added.push(c) }, { initialRetryMs: 10, maxRetryMs: 15, discover, onError: (_s, _e, retry) => errors.push(retry) });
    await d.firstRound;
    expect(d.status()).toEqual([{ discoveryUrl: 'https://idp.example.com', discovered: false, attempts: 1, lastError: 'connect ECONNREFUSED' }]);
    for (let i = 0; i < 100 && !added.length; i++) await new Promise((r) => setTimeout(r, 10));
    expect(errors).toEqual([10, 15]);
    expect(added).toEqual([{ issuer: 'https://idp.example.com', audience: 'api://rh', jwksUri: 'https://idp.example.com/keys', tenants: ['t1'], claims: { upn: ['email'] }, algorithms: undefined }]);
    expect(d.status()[0]).toMatchObject({ discovered: true, issuer: 'https://idp.example.com', attempts: 3 });
    d.stop();
  });

  it('stops retrying when stopped', async () => {
    const discover = jest.fn(async () => {
      throw new Error('down');
    });
    const d = discoverIssuersInBackground([spec], { addIssuer: () => undefined }, { initialRetryMs: 20, discover });
    await d.firstRound;
    d.stop();
    await new Promise((r) => setTimeout(r, 60));
    expect(discover).toHaveBeenCalledTimes(1);
  });
});
