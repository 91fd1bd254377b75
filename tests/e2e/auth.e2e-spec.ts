import { SignJWT, generateKeyPair, importJWK, base64url } from 'jose';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorCodes, gatewayUrl, gql, newTenant, serviceUrls, tokenFor } from './support/client';

const QUERY = '{ tenant { id displayName } }';
const DEV_ISSUER = 'urn:remote-help:dev-issuer';

async function devKey() {
  const jwk = JSON.parse(fs.readFileSync(path.join(process.env.RH_E2E_DATA_DIR!, 'keys', 'dev-issuer.private.jwk.json'), 'utf8'));
  return { key: await importJWK(jwk, 'ES256'), kid: jwk.kid as string };
}

function expectRejected(r: Awaited<ReturnType<typeof gql>>) {
  expect(r.status).toBe(401);
  expect(errorCodes(r)).toEqual(['UNAUTHENTICATED']);
  expect(r.body.data ?? null).toBeNull();
  expect(JSON.stringify(r.body)).not.toMatch(/\bat .+\.(js|ts):\d+/); // no stack trace
}

describe('the gateway accepts only valid bearer tokens', () => {
  let tenant: ReturnType<typeof newTenant>;
  beforeAll(() => {
    tenant = newTenant();
  });

  it('accepts a token of the development issuer for a known user', async () => {
    const r = await gql(QUERY, {}, tenant.adminToken);
    expect(r.status).toBe(200);
    expect(r.body.data?.tenant.id).toBe(tenant.tenantId);
  });

  it('refuses a request without a token', async () => expectRejected(await gql(QUERY)));

  it('refuses a token that is not a JWT', async () => expectRejected(await gql(QUERY, {}, 'not-a-token')));

  it('refuses an expired token', async () => {
    const { key, kid } = await devKey();
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ tid: tenant.tenantId, preferred_username: tenant.adminUpn })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(DEV_ISSUER)
      .setAudience('remote-help')
      .setSubject(tenant.adminUpn)
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(key);
    expectRejected(await gql(QUERY, {}, token));
  });

  it('refuses a token that is not valid yet (nbf)', async () => {
    const { key, kid } = await devKey();
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ tid: tenant.tenantId, preferred_username: tenant.adminUpn })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(DEV_ISSUER)
      .setAudience('remote-help')
      .setNotBefore(now + 3600)
      .setExpirationTime(now + 7200)
      .sign(key);
    expectRejected(await gql(QUERY, {}, token));
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const payload = base64url.encode(JSON.stringify({ iss: DEV_ISSUER, aud: 'remote-help', tid: tenant.tenantId, preferred_username: tenant.adminUpn, iat: now, exp: now + 600 }));
    expectRejected(await gql(QUERY, {}, `${header}.${payload}.`));
  });

  it('refuses a token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const { kid } = await devKey();
    const token = await new SignJWT({ tid: tenant.tenantId, preferred_username: tenant.adminUpn })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(DEV_ISSUER)
      .setAudience('remote-help')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
    expectRejected(await gql(QUERY, {}, token));
  });

  it('refuses a token for the wrong audience', async () => {
    const { key, kid } = await devKey();
    const token = await new SignJWT({ tid: tenant.tenantId, preferred_username: tenant.adminUpn })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(DEV_ISSUER)
      .setAudience('some-other-api')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(key);
    expectRejected(await gql(QUERY, {}, token));
  });

  it('refuses a token for a tenant that does not exist', async () => {
    const token = tokenFor('00000000-0000-4000-8000-000000000000', { user: tenant.adminUpn });
    expectRejected(await gql(QUERY, {}, token));
  });

  it('refuses a token for a user that is not in the tenant', async () => {
    const token = tokenFor(tenant.tenantId, { user: `nobody@${tenant.domain}` });
    expectRejected(await gql(QUERY, {}, token));
  });

  it('refuses a token of one tenant carrying a user of another', async () => {
    const other = newTenant();
    const token = tokenFor(tenant.tenantId, { user: other.adminUpn });
    expectRejected(await gql(QUERY, {}, token));
  });
});

describe('subgraphs answer only the gateway', () => {
  it.each(['tenant-service', 'rbac-service', 'session-service', 'reporting-service'])('%s refuses a direct call without the internal token', async (service) => {
    const url = `${serviceUrls()[service]}/graphql`;
    const anonymous = await gql('{ __typename }', {}, undefined, url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.data).toBeUndefined();
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    // A client's own bearer token is no internal token either.
    const t = newTenant();
    const withClientToken = await gql('{ _service { sdl } }', {}, t.adminToken, url);
    expect(withClientToken.status).toBe(401);
    expect(withClientToken.body.data).toBeUndefined();
  });

  it('tenant-service does not resolve principals for anyone but the gateway', async () => {
    const res = await fetch(`${serviceUrls()['tenant-service']}/internal/principals/resolve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: '00000000-0000-4000-8000-000000000000', upn: 'x@y.z' }),
    });
    expect(res.status).toBe(401);
  });
});

describe('bad requests get clear errors, never a crash or a stack trace', () => {
  it('answers 404 on an unknown route', async () => {
    const res = await fetch(gatewayUrl().replace('/graphql', '/no/such/route'));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ errors: [{ message: 'not found', extensions: { code: 'NOT_FOUND' } }] });
  });

  it('answers a body that is not JSON with a GraphQL error', async () => {
    const t = newTenant();
    const res = await fetch(gatewayUrl(), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.adminToken}` }, body: '{"query": "{ tenant { id } ' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(JSON.stringify(body)).not.toMatch(/\bat .+\.(js|ts):\d+/);
  });

  it('answers a query that does not parse with GRAPHQL_PARSE_FAILED', async () => {
    const t = newTenant();
    const r = await gql('{ tenant { id ', {}, t.adminToken);
    expect(r.status).toBe(400);
    expect(errorCodes(r)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('answers an unknown field with GRAPHQL_VALIDATION_FAILED', async () => {
    const t = newTenant();
    const r = await gql('{ tenant { secretField } }', {}, t.adminToken);
    expect(r.status).toBe(400);
    expect(errorCodes(r)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('still serves normal traffic afterwards', async () => {
    const t = newTenant();
    const r = await gql(QUERY, {}, t.adminToken);
    expect(r.body.data?.tenant.id).toBe(t.tenantId);
  });
});
