import { base64url, exportSPKI, generateKeyPair, importJWK, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { GqlResponse } from './support/client';
import { databases, errorCodes, gql, newTenant, rhOk, tokenFor } from './support/client';
import type { ExtraGateway } from './support/oidc-processes';
import { freePort, OidcProvider, startGateway } from './support/oidc-processes';

/**
 * Sign-in with real OpenID Connect providers (panva's oidc-provider, in their own processes),
 * through a gateway started here in production mode with `OIDC_ISSUERS`:
 * - provider A is trusted for any tenant;
 * - provider B is bound to tenant T2 (`tenants`) and is down when the gateway starts (the
 *   gateway starts anyway and discovers it in the background);
 * - provider C is not configured at all.
 * The key rotation case runs last: it waits for the once-a-minute JWKS refetch.
 */
const AUDIENCE = 'api://remote-help';
const ME = '{ me { id userPrincipalName } tenant { id } }';

let gateway: ExtraGateway;
let providerA: OidcProvider;
let providerB: OidcProvider;
let providerC: OidcProvider;
let providerBPort: number;
let t1: ReturnType<typeof newTenant>;
let t2: ReturnType<typeof newTenant>;
let firstJwksFetchAt = 0;
let shortLived: { token: string; expiresAt: number };

function expectRefused(r: GqlResponse, reason?: RegExp) {
  expect(r.status).toBe(401);
  expect(errorCodes(r)).toEqual(['UNAUTHENTICATED']);
  expect(r.body.data ?? null).toBeNull();
  if (reason) expect(r.body.errors![0].message).toMatch(reason);
  expect(JSON.stringify(r.body)).not.toMatch(/\bat .+\.(js|ts):\d+/);
}

/** Retries `fn` once a second until `ok` or the timeout. */
async function poll<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const claimsOf = (t: ReturnType<typeof newTenant>, extra: Record<string, unknown> = {}) => ({ tid: t.tenantId, oid: randomUUID(), preferred_username: t.adminUpn, ...extra });

beforeAll(async () => {
  t1 = newTenant();
  t2 = newTenant();
  providerA = await OidcProvider.start();
  providerC = await OidcProvider.start();
  providerBPort = await freePort();
  gateway = await startGateway({
    NODE_ENV: 'production',
    OIDC_ISSUERS: JSON.stringify([
      { discoveryUrl: providerA.issuer, audience: AUDIENCE },
      { discoveryUrl: `http://127.0.0.1:${providerBPort}/.well-known/openid-configuration`, audience: [AUDIENCE], claims: { tenant: 'tid', upn: ['preferred_username', 'upn'] }, tenants: [t2.tenantId] },
    ]),
  });
  // A token that expires in 1 s, checked at the end of the run (past the 5 s clock tolerance).
  const expiring = await providerA.tokenFor(claimsOf(t1), { ttlSeconds: 1 });
  shortLived = { token: expiring, expiresAt: Date.now() + 1000 };
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([providerA, providerB, providerC].map((p) => p?.stop()));
});

describe('sign-in with an OpenID Connect provider', () => {
  it('accepts an access token of a configured issuer and maps it to the directory user (by UPN)', async () => {
    const token = await providerA.tokenFor(claimsOf(t1));
    const r = await gql(ME, {}, token, gateway.url);
    firstJwksFetchAt = Date.now();
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data).toEqual({ me: { id: t1.adminUserId, userPrincipalName: t1.adminUpn }, tenant: { id: t1.tenantId } });
    expect((await providerA.stats()).jwksFetches).toBe(1);
  });

  // Right after that first fetch, so always within its minute (were it not, the gateway would
  // refetch and the count below would say so: the check cannot pass by running late).
  it('refuses a key id it does not know within a minute of the last JWKS fetch, without fetching again', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ ...claimsOf(t1) })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: `not-a-key-of-a-${randomUUID()}` })
      .setIssuer(providerA.issuer)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(privateKey);
    expectRefused(await gql(ME, {}, token, gateway.url), /invalid signature/);
    expect((await providerA.stats()).jwksFetches).toBe(1);
  });

  it("signs in to a tenant created with the identity provider's tenant id (`rh tenant create --id`)", async () => {
    const entraTenantId = randomUUID();
    const domain = `entra${Date.now().toString(36)}.example.com`;
    const created = JSON.parse(rhOk(['tenant', 'create', '--name', 'Entra tenant', '--domain', domain, '--admin', `admin@${domain}`, '--id', entraTenantId.toUpperCase()]));
    expect(created.tenantId).toBe(entraTenantId);
    const r = await gql(ME, {}, await providerA.tokenFor({ tid: entraTenantId, oid: randomUUID(), preferred_username: `admin@${domain}` }), gateway.url);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data).toEqual({ me: { id: created.adminUserId, userPrincipalName: `admin@${domain}` }, tenant: { id: entraTenantId } });
    // The same id again, or one that is not a UUID: refused, nothing written.
    expect(() => rhOk(['tenant', 'create', '--name', 'Again', '--domain', `again-${domain}`, '--admin', `admin@again-${domain}`, '--id', entraTenantId])).toThrow(/a tenant with id .* already exists/);
    expect(() => rhOk(['tenant', 'create', '--name', 'Bad', '--domain', `bad-${domain}`, '--admin', `admin@bad-${domain}`, '--id', 'contoso'])).toThrow(/is not a tenant id/);
  });

  it('matches the UPN case-insensitively, from `upn` when there is no `preferred_username`', async () => {
    const token = await providerA.tokenFor({ tid: t1.tenantId, upn: t1.adminUpn.toUpperCase() });
    const r = await gql(ME, {}, token, gateway.url);
    expect(r.body.data?.me.id).toBe(t1.adminUserId);
  });

  it("never matches by the token's object id (the directory's ids are generated here)", async () => {
    // oid = the administrator's id in this system, UPN = nobody: refused.
    const token = await providerA.tokenFor({ tid: t1.tenantId, oid: t1.adminUserId, preferred_username: `nobody@${t1.domain}` });
    expectRefused(await gql(ME, {}, token, gateway.url), /unknown user/);
    // oid only, no UPN at all: refused with a clear reason.
    const noUpn = await providerA.tokenFor({ tid: t1.tenantId, oid: t1.adminUserId });
    expectRefused(await gql(ME, {}, noUpn, gateway.url), /user principal name/);
  });

  it("refuses a user who is not in the tenant's directory, and creates no account", async () => {
    const upn = `newcomer-${Date.now()}@${t1.domain}`;
    const token = await providerA.tokenFor(claimsOf(t1, { preferred_username: upn }));
    expectRefused(await gql(ME, {}, token, gateway.url), /unknown user in this tenant/);
    const pg = new Client({ connectionString: databases()['tenant-service'] });
    await pg.connect();
    try {
      const { rows } = await pg.query('SELECT count(*)::int AS n FROM users WHERE lower(user_principal_name) = lower($1)', [upn]);
      expect(rows[0].n).toBe(0);
    } finally {
      await pg.end();
    }
  });

  it('refuses a token of a tenant that does not exist', async () => {
    const token = await providerA.tokenFor(claimsOf(t1, { tid: randomUUID() }));
    expectRefused(await gql(ME, {}, token, gateway.url), /unknown tenant/);
  });

  it('refuses a token issued for another audience', async () => {
    const token = await providerA.tokenFor(claimsOf(t1), { resource: 'api://some-other-api' });
    expectRefused(await gql(ME, {}, token, gateway.url), /wrong audience/);
  });

  it('refuses a token of an issuer that is not configured', async () => {
    const token = await providerC.tokenFor(claimsOf(t1));
    expectRefused(await gql(ME, {}, token, gateway.url), /unknown issuer/);
  });

  it('refuses an unsigned token (alg: none) claiming a configured issuer', async () => {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }));
    const payload = base64url.encode(JSON.stringify({ iss: providerA.issuer, aud: AUDIENCE, ...claimsOf(t1), iat: now, exp: now + 600 }));
    expectRefused(await gql(ME, {}, `${header}.${payload}.`, gateway.url));
  });

  it("refuses an HS256 token keyed with the issuer's public key (algorithm confusion)", async () => {
    const { keys } = await providerA.jwks();
    const publicPem = await exportSPKI((await importJWK(keys[0] as never, 'RS256')) as never);
    const now = Math.floor(Date.now() / 1000);
    for (const secret of [publicPem, JSON.stringify(keys[0])]) {
      const token = await new SignJWT({ ...claimsOf(t1) })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: keys[0].kid })
        .setIssuer(providerA.issuer)
        .setAudience(AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(new TextEncoder().encode(secret));
      expectRefused(await gql(ME, {}, token, gateway.url), /unsupported algorithm/);
    }
  });

  it('refuses the development issuer in production mode', async () => {
    const dev = tokenFor(t1.tenantId, { user: t1.adminUpn });
    expectRefused(await gql(ME, {}, dev, gateway.url), /unknown issuer/);
  });

  it('accepts the development issuer in production only when DEV_ISSUER_ENABLED=true', async () => {
    const devGateway = await startGateway({ NODE_ENV: 'production', DEV_ISSUER_ENABLED: 'true' });
    try {
      const dev = tokenFor(t1.tenantId, { user: t1.adminUpn });
      const r = await gql(ME, {}, dev, devGateway.url);
      expect(r.body.data?.me.id).toBe(t1.adminUserId);
      expect(devGateway.output()).toMatch(/development issuer is enabled in production/);
    } finally {
      await devGateway.stop();
    }
  });

  it('started while an issuer was down, and trusts it once its discovery answers', async () => {
    const ready = (await fetch(`${gateway.base}/health/ready`).then((r) => r.json())) as { oidcIssuers: unknown };
    expect(ready.oidcIssuers).toEqual([
      { discoveryUrl: providerA.issuer, issuer: providerA.issuer, discovered: true },
      { discoveryUrl: `http://127.0.0.1:${providerBPort}/.well-known/openid-configuration`, discovered: false },
    ]);
    // The provider runs, but its discovery still fails: tokens it signs are refused.
    providerB = await OidcProvider.start(providerBPort, { discoveryDown: true });
    const token = await providerB.tokenFor(claimsOf(t2));
    expectRefused(await gql(ME, {}, token, gateway.url), /unknown issuer/); // not discovered yet
    await providerB.setDiscovery(true);
    const r = await poll(
      () => gql(ME, {}, token, gateway.url),
      (x) => x.status === 200,
      45_000,
    );
    expect(r.body.data?.me.id).toBe(t2.adminUserId);
  }, 60_000);

  it('refuses a token of an issuer bound to other tenants (`tenants`)', async () => {
    const token = await providerB.tokenFor(claimsOf(t1));
    expectRefused(await gql(ME, {}, token, gateway.url), /issuer not trusted for this tenant/);
  });

  it('refuses an expired token', async () => {
    await new Promise((r) => setTimeout(r, Math.max(0, shortLived.expiresAt + 6_500 - Date.now())));
    expectRefused(await gql(ME, {}, shortLived.token, gateway.url), /token expired/);
  }, 20_000);

  it('follows a key rotation: the new key is fetched once the minute since the last fetch has passed', async () => {
    const before = await providerA.stats();
    const newKid = await providerA.rotate();
    const token = await providerA.tokenFor(claimsOf(t1));
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).kid).toBe(newKid);
    // (That an unknown key id within the minute is refused without a fetch is shown just after
    // the first fetch, above; here: the new key is taken once the minute has passed.)
    const r = await poll(
      () => gql(ME, {}, token, gateway.url),
      (x) => x.status === 200,
      75_000,
    );
    expect(r.body.data?.me.id).toBe(t1.adminUserId);
    expect(Date.now() - firstJwksFetchAt).toBeGreaterThanOrEqual(59_000);
    // Exactly one refetch, however many refused attempts came before it.
    expect((await providerA.stats()).jwksFetches).toBe(before.jwksFetches + 1);
  }, 120_000);
});
