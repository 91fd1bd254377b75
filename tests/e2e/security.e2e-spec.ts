import { createInternalTokenSigner } from '@remote-help/auth';
import type { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { buildClientSchema, getIntrospectionQuery, getNamedType, isObjectType } from 'graphql';
import { importPKCS8, SignJWT } from 'jose';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { GqlResponse } from './support/client';
import { errorCodes, gatewayUrl, gql, gqlOk, newTenant, serviceUrls, tokenFor } from './support/client';
import type { ExtraGateway } from './support/oidc-processes';
import { freePort, startGateway } from './support/oidc-processes';

/**
 * The gateway's hardening, through real HTTP: security headers, body size, batching, CSRF,
 * CORS, the OWASP GraphQL cheat sheet attacks (refused with a clear error while normal traffic
 * goes on), production mode (no introspection, no landing page, no internal messages, subgraph
 * timeouts), rate limits, and the internal tokens' audience.
 *
 * Gateways: the running system's (development mode), `prod` (production mode, one allowed CORS
 * origin, reporting-service replaced by a server that never answers, 1 s subgraph timeout) and
 * `limited` (low rate limits).
 */
const STACK = /\bat .+\.(js|ts):\d+|node:internal|node_modules/;

let tenant: ReturnType<typeof newTenant>;
let prod: ExtraGateway;
let limited: ExtraGateway;
let blackhole: net.Server;
const held = new Set<net.Socket>();
/** GraphQL requests (POST) the never-answering "subgraph" has received. */
let blackholePosts = 0;
let schema: GraphQLSchema;

async function post(url: string, body: unknown, headers: Record<string, string> = {}, raw = false) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw ? (body as string) : JSON.stringify(body) });
}

async function json(res: Response) {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`not JSON (${res.status}): ${text.slice(0, 200)}`);
  }
}

/** A normal request that must keep working whatever else happens. */
async function expectServed(url = gatewayUrl(), token = tenant.adminToken) {
  const r = await gql('{ tenant { id displayName } }', {}, token, url);
  expect(r.status).toBe(200);
  expect(r.body.data?.tenant.id).toBeDefined();
}

function expectRefusedWith(r: GqlResponse, status: number, code: string, message: RegExp) {
  expect(r.status).toBe(status);
  expect(r.body.data ?? null).toBeNull();
  const matching = (r.body.errors ?? []).filter((e) => e.extensions?.code === code && message.test(e.message));
  if (matching.length === 0) throw new Error(`expected a ${code} error matching ${message}, got ${JSON.stringify(r.body.errors)}`);
  expect(JSON.stringify(r.body)).not.toMatch(STACK);
}

beforeAll(async () => {
  tenant = newTenant();
  const intro = await gqlOk(getIntrospectionQuery(), {}, tenant.adminToken);
  schema = buildClientSchema(intro as never);
  // A "subgraph" that accepts connections and never answers.
  blackhole = net.createServer((s) => {
    held.add(s);
    s.on('data', (chunk) => (blackholePosts += (chunk.toString('latin1').match(/^POST /gm) ?? []).length));
    s.on('close', () => held.delete(s));
  });
  const port = await freePort();
  await new Promise<void>((r) => blackhole.listen(port, '127.0.0.1', r));
  [prod, limited] = await Promise.all([
    startGateway({
      NODE_ENV: 'production',
      DEV_ISSUER_ENABLED: 'true', // so that this test can sign in with the CLI's tokens
      CORS_ORIGINS: 'https://admin.example.com',
      REPORTING_SERVICE_URL: `http://127.0.0.1:${port}/graphql`,
      SUBGRAPH_TIMEOUT_MS: '1000',
    }),
    // Limits of its own, not shared with the system's gateway (which would count its requests here too).
    startGateway({ RATE_LIMIT_PER_CALLER: '5', RATE_LIMIT_PER_TENANT: '8', RATE_LIMIT_SESSION_PER_CALLER: '2', RATE_LIMIT_WINDOW_SECONDS: '60', RATE_LIMIT_SYNC_MS: '0' }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([prod?.stop(), limited?.stop()]);
  for (const s of held) s.destroy();
  await new Promise((r) => blackhole?.close(r));
});

describe('security headers (helmet) on every response', () => {
  const expectHeaders = (res: Response, production: boolean) => {
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('x-powered-by')).toBeNull();
    if (production) expect(res.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'");
  };

  it.each([
    ['a served query', (u: string) => post(u, { query: '{ tenant { id } }' }, { authorization: `Bearer ${tenant.adminToken}` })],
    ['an unauthenticated request', (u: string) => post(u, { query: '{ tenant { id } }' })],
    ['an unknown route', (u: string) => fetch(u.replace('/graphql', '/nope'))],
    ['an oversized body', (u: string) => post(u, { query: '{ tenant { id } }', variables: { s: 'x'.repeat(1_200_000) } })],
    ['the health check', (u: string) => fetch(u.replace('/graphql', '/health/live'))],
  ])('%s', async (_what, send) => {
    expectHeaders(await send(gatewayUrl()), false);
    expectHeaders(await send(prod.url), true);
  });
});

describe('request size, batching and CSRF', () => {
  it('refuses a body over MAX_BODY_BYTES with 413 and a clear error (huge strings)', async () => {
    const res = await post(gatewayUrl(), { query: 'query ($s: String) { tenant { id } }', variables: { s: 'x'.repeat(2 * 1024 * 1024) } }, { authorization: `Bearer ${tenant.adminToken}` });
    expect(res.status).toBe(413);
    expect(await json(res)).toEqual({ errors: [{ message: 'request body too large: the limit is 1048576 bytes', extensions: { code: 'BAD_REQUEST' } }] });
    await expectServed();
  });

  // How fast is the benchmark's to judge; here: an answer (within the test's timeout), no crash.
  it('answers a huge string under the body limit without an internal error', async () => {
    const field = Object.values(schema.getQueryType()!.getFields()).find((f) => f.args.some((a) => a.name === 'search' && String(a.type) === 'String'));
    expect(field).toBeDefined(); // a search argument to put the string in (users, devices)
    const query = `query ($s: String) { ${field!.name}(search: $s) { __typename } }`;
    const r = await gql(query, { s: 'x'.repeat(900_000) }, tenant.adminToken);
    expect(r.status).toBe(200);
    expect(errorCodes(r)).not.toContain('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(r.body).length).toBeLessThan(10_000); // the string is not echoed back
    await expectServed();
  });

  it('refuses batched requests', async () => {
    const res = await post(
      gatewayUrl(),
      Array.from({ length: 50 }, () => ({ query: '{ tenant { id } }' })),
      { authorization: `Bearer ${tenant.adminToken}` },
    );
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({ errors: [{ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } }] });
    await expectServed();
  });

  it('refuses a cross-site simple request (CSRF): text/plain, a form, a GET without a preflight header', async () => {
    const auth = { authorization: `Bearer ${tenant.adminToken}` };
    const attempts = [
      fetch(gatewayUrl(), { method: 'POST', headers: { 'content-type': 'text/plain', ...auth }, body: JSON.stringify({ query: '{ tenant { id } }' }) }),
      fetch(gatewayUrl(), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth }, body: 'query=%7B%20tenant%20%7B%20id%20%7D%20%7D' }),
      fetch(`${gatewayUrl()}?query=${encodeURIComponent('{ tenant { id } }')}`, { headers: auth }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(400);
      const body = await json(res);
      expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
      expect(body.errors[0].message).toMatch(/Cross-Site Request Forgery/);
      expect(body.data).toBeUndefined();
    }
    // The same GET with a header that a cross-site page cannot send without a preflight: served.
    const ok = await fetch(`${gatewayUrl()}?query=${encodeURIComponent('{ tenant { id } }')}`, { headers: { ...auth, 'apollo-require-preflight': 'true' } });
    expect(ok.status).toBe(200);
    expect((await json(ok)).data.tenant.id).toBe(tenant.tenantId);
  });
});

describe('CORS limited to the configured origins', () => {
  const preflight = (url: string, origin: string) => fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });

  it('development: loopback origins only', async () => {
    const local = await preflight(gatewayUrl(), 'http://localhost:5173');
    expect(local.status).toBe(204);
    expect(local.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(local.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(local.headers.get('access-control-allow-credentials')).toBeNull();
    const evil = await preflight(gatewayUrl(), 'https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('production: the origins of CORS_ORIGINS only, on preflights and on answers', async () => {
    expect((await preflight(prod.url, 'https://admin.example.com')).headers.get('access-control-allow-origin')).toBe('https://admin.example.com');
    expect((await preflight(prod.url, 'http://localhost:5173')).headers.get('access-control-allow-origin')).toBeNull();
    const answer = await post(prod.url, { query: '{ tenant { id } }' }, { origin: 'https://evil.example', authorization: `Bearer ${tenant.adminToken}` });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });
});

/** A query nested `depth` levels deep, following a cycle of the schema (OWASP "deep nesting"). */
function deepQuery(depth: number): string {
  // The deepest chain of object fields without required arguments, found by depth-first search.
  const fieldsOf = (t: GraphQLObjectType) => Object.values(t.getFields()).filter((f) => isObjectType(getNamedType(f.type)) && f.args.every((a) => !('ofType' in a.type && a.type.toString().endsWith('!'))));
  const chain = (t: GraphQLObjectType, left: number): string[] | null => {
    if (left === 0) return [];
    for (const f of fieldsOf(t)) {
      const rest = chain(getNamedType(f.type) as GraphQLObjectType, left - 1);
      if (rest) return [f.name, ...rest];
    }
    return null;
  };
  const path = chain(schema.getQueryType()!, depth);
  if (path) return path.reduceRight((inner, f) => `${f} { ${inner} }`, '__typename').replace(/^/, '{ ') + ' }';
  // No cycle in the schema served today: nest through the introspection types instead.
  const levels = ['__type(name: "Query")', ...Array.from({ length: depth - 1 }, (_, i) => (i % 2 === 0 ? 'fields' : 'type'))];
  return `{ ${levels.reduceRight((inner, f) => `${f} { ${inner} }`, 'name')} }`;
}

describe('the OWASP GraphQL cheat sheet attacks are refused with a clear error', () => {
  const run = (query: string) => gql(query, {}, tenant.adminToken);

  it('deep nesting', async () => {
    expectRefusedWith(await run(deepQuery(14)), 400, 'BAD_USER_INPUT', /^Query depth limit of 10 exceeded, found \d+\.$/);
    await expectServed();
  });

  it('alias flood', async () => {
    const query = `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: tenant { id }`).join(' ')} }`;
    expectRefusedWith(await run(query), 400, 'BAD_USER_INPUT', /^Aliases limit of 15 exceeded, found 100\.$/);
    await expectServed();
  });

  it('field duplication', async () => {
    expectRefusedWith(await run(`{ tenant { ${'id '.repeat(5000)} } }`), 400, 'BAD_USER_INPUT', /^Token limit of 1000 exceeded: the document is too large\.$/);
    await expectServed();
  });

  it('directive flood', async () => {
    const r = await run(`{ tenant { id ${Array.from({ length: 40 }, (_, i) => `@d${i}`).join(' ')} } }`);
    expectRefusedWith(r, 400, 'BAD_USER_INPUT', /^Directives limit of 20 exceeded, found 40\.$/);
    await expectServed();
  });

  it('an expensive operation (cost limit), e.g. a huge page size', async () => {
    const paged = Object.values(schema.getQueryType()!.getFields()).find((f) => f.args.some((a) => a.name === 'first') && f.args.every((a) => !a.type.toString().endsWith('!')));
    let query: string;
    if (paged) {
      const t = getNamedType(paged.type) as GraphQLObjectType;
      const scalar = Object.values(t.getFields()).find((f) => !isObjectType(getNamedType(f.type)) && f.args.length === 0) ?? { name: '__typename' };
      query = `{ ${paged.name}(first: 1000000) { ${scalar.name} } }`;
    } else {
      // No paged field served yet: an operation wide and deep enough through a reused fragment.
      const leaf = 'name kind description specifiedByURL isOneOf';
      query = `{ ${Array.from({ length: 14 }, (_, i) => `a${i}: __type(name: "Query") { ...F }`).join(' ')} } fragment F on __Type { fields { type { fields { type { fields { type { fields { type { ${leaf} } } } } } } } } }`;
    }
    expectRefusedWith(await run(query), 400, 'BAD_USER_INPUT', /^Query Cost limit of 5000 exceeded, found \d+/);
    await expectServed();
  });

  it('batching (see above) and huge strings (see above) are refused too; normal traffic goes on during a flood of attacks', async () => {
    const attacks = Array.from({ length: 40 }, (_, i) => (i % 2 ? run(deepQuery(14)) : run(`{ ${Array.from({ length: 50 }, (_, j) => `a${j}: tenant { id }`).join(' ')} }`)));
    const normal = Array.from({ length: 20 }, () => gql('{ tenant { id } }', {}, tenant.adminToken));
    const [attacked, served] = await Promise.all([Promise.all(attacks), Promise.all(normal)]);
    for (const r of attacked) expect(errorCodes(r)).toContain('BAD_USER_INPUT');
    for (const r of served) expect(r.body.data?.tenant.id).toBe(tenant.tenantId);
  });

  it('introspection: on in development, off in production with a clear error', async () => {
    expect((await gql('{ __schema { queryType { name } } }', {}, tenant.adminToken)).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    for (const q of ['{ __schema { types { name } } }', '{ __type(name: "Tenant") { fields { name } } }', getIntrospectionQuery()]) {
      expectRefusedWith(await gql(q, {}, tenant.adminToken, prod.url), 400, 'GRAPHQL_VALIDATION_FAILED', /^Introspection is disabled on this server\.$/);
    }
    await expectServed(prod.url);
  });

  it('field suggestions, which reveal the schema, are hidden in production', async () => {
    const dev = await gql('{ tenat { id } }', {}, tenant.adminToken);
    expect(dev.body.errors![0].message).toMatch(/Did you mean "tenant"\?/);
    const production = await gql('{ tenat { id } }', {}, tenant.adminToken, prod.url);
    expect(errorCodes(production)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(production.body.errors![0].message).not.toMatch(/Did you mean|tenant"/);
  });

  it("no Apollo Sandbox (Apollo's CDN): a browser goes to the bundled GraphQL explorer in development; production has none", async () => {
    const page = (url: string) => fetch(url, { headers: { accept: 'text/html' }, redirect: 'manual' });
    const dev = await page(gatewayUrl());
    expect([dev.status, dev.headers.get('location')]).toEqual([302, '/graphiql']);
    const explorer = await fetch(new URL('/graphiql', gatewayUrl()), { headers: { accept: 'text/html' } });
    expect(explorer.status).toBe(200);
    expect(await explorer.text()).not.toMatch(/apollographql|embeddable-sandbox|https?:\/\/(?!127\.0\.0\.1)/);
    const production = await page(prod.url);
    expect(production.headers.get('content-type')).not.toMatch(/text\/html/);
    expect(production.status).toBe(400);
  });
});

describe('production errors and subgraph timeouts', () => {
  it('a subgraph that never answers costs one timeout, and the client sees no internal message', async () => {
    // Answered at all (the subgraph never answers: only the gateway's timeout ends the call),
    // after one call to that subgraph, not retried.
    const postsBefore = blackholePosts;
    const r = await gql('{ tenant { id activeSessionCount } }', {}, tenant.adminToken, prod.url);
    expect(blackholePosts - postsBefore).toBe(1);
    expect(r.body.errors?.length).toBeGreaterThan(0);
    for (const e of r.body.errors!) expect({ message: e.message, extensions: e.extensions }).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(r.body)).not.toMatch(/abort|timeout|ECONN|fetch|127\.0\.0\.1|reporting/i);
    // logged on the server side instead (the log line may reach the pipe a moment later)
    for (const deadline = Date.now() + 3_000; !/aborted|timeout/i.test(prod.output()) && Date.now() < deadline;) await new Promise((res) => setTimeout(res, 50));
    expect(prod.output()).toMatch(/aborted|timeout/i);
  });

  it('errors carry no stack trace in production', async () => {
    for (const q of ['{ tenant { id ', '{ nope }', 'mutation { nope }']) {
      const r = await gql(q, {}, tenant.adminToken, prod.url);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).not.toMatch(STACK);
      for (const e of r.body.errors ?? []) expect(Object.keys(e.extensions ?? {})).toEqual(['code']);
    }
  });
});

describe('rate limits per caller and per tenant', () => {
  const query = '{ tenant { id } }';

  it('refuses a caller over its budget with 429, Retry-After and RATE_LIMITED, and other tenants are still served', async () => {
    const x = newTenant();
    const y = newTenant();

    for (let i = 0; i < 5; i++) expect((await gql(query, {}, x.adminToken, limited.url)).status).toBe(200);
    const over = await post(limited.url, { query }, { authorization: `Bearer ${x.adminToken}` });
    expect(over.status).toBe(429);
    const retryAfter = Number(over.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await json(over)).toEqual({ errors: [{ message: `too many requests (per caller): try again in ${retryAfter} s`, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter } }] });

    // X floods; Y's requests are served meanwhile (how fast, under a flood, is the benchmark's to judge).
    const flood = Promise.all(Array.from({ length: 60 }, () => gql(query, {}, x.adminToken, limited.url)));
    for (let i = 0; i < 4; i++) await expectServed(limited.url, y.adminToken);
    const flooded = await flood;
    expect(flooded.map((r) => `${r.status} ${errorCodes(r).join(',')}`)).toEqual(flooded.map(() => '429 RATE_LIMITED'));
  });

  it("caps all of a tenant's callers together", async () => {
    const x = newTenant();
    expect(schema.getMutationType()?.getFields().upsertUser).toBeDefined(); // a second caller of X is made with it
    // A second user of X, created through the running system's gateway.
    const upn = `second@${x.domain}`;
    await gqlOk('mutation ($i: UpsertUserInput!) { upsertUser(input: $i) { id } }', { i: { userPrincipalName: upn, displayName: 'Second' } }, x.adminToken);
    const second = tokenFor(x.tenantId, { user: upn });
    for (let i = 0; i < 5; i++) expect((await gql(query, {}, x.adminToken, limited.url)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await gql(query, {}, second, limited.url)).status).toBe(200);
    const r = await gql(query, {}, second, limited.url);
    expect(r.status).toBe(429);
    expect(r.body.errors![0].message).toMatch(/per tenant/);
  });

  it('is stricter on joinSession and requestSession (each alias counts)', async () => {
    const mutation = schema.getMutationType()?.getFields();
    expect(Object.keys(mutation ?? {})).toEqual(expect.arrayContaining(['joinSession', 'requestSession']));
    const z = newTenant();
    const join = (alias = '') => gql(`mutation { ${alias}joinSession(securityCode: "ZZZZZZZZ") { id } }`, {}, z.adminToken, limited.url);
    for (let i = 0; i < 2; i++) expect(errorCodes(await join())).not.toContain('RATE_LIMITED');
    const r = await join();
    expect(r.status).toBe(429);
    expect(r.body.errors![0]).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    expect(r.body.errors![0].message).toMatch(/requestSession\/joinSession per caller/);
    // Other operations of the same caller go on.
    expect((await gql(query, {}, z.adminToken, limited.url)).status).toBe(200);
    // Aliases do not multiply the attempts: three guesses in one operation exceed a budget of two.
    const w = newTenant();
    const many = await gql('mutation { a: joinSession(securityCode: "A") { id } b: joinSession(securityCode: "B") { id } c: joinSession(securityCode: "C") { id } }', {}, w.adminToken, limited.url);
    expect(many.status).toBe(429);
    expect(errorCodes(many)).toEqual(['RATE_LIMITED']);
  });
});

describe('internal tokens name their subgraph', () => {
  it('a token minted for one subgraph is refused by every other one', async () => {
    const keys = path.join(process.env.RH_E2E_DATA_DIR!, 'keys');
    const signer = createInternalTokenSigner(fs.readFileSync(path.join(keys, 'internal.private.pem'), 'utf8'));
    const caller = { kind: 'user' as const, tenantId: tenant.tenantId, userId: tenant.adminUserId, upn: tenant.adminUpn };
    const token = await signer.sign(caller, 'tenant-service');
    const urls = serviceUrls();
    const atTenant = await gql('{ tenant { id } }', {}, token, `${urls['tenant-service']}/graphql`);
    expect(atTenant.body.data?.tenant.id).toBe(tenant.tenantId);
    for (const other of ['rbac-service', 'session-service', 'reporting-service']) {
      const r = await gql('{ __typename }', {}, token, `${urls[other]}/graphql`);
      expect(r.status).toBe(401);
      expect(errorCodes(r)).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('a token living longer than a minute is refused, even with the right key and audience', async () => {
    const keys = path.join(process.env.RH_E2E_DATA_DIR!, 'keys');
    const key = await importPKCS8(fs.readFileSync(path.join(keys, 'internal.private.pem'), 'utf8'), 'ES256');
    const now = Math.floor(Date.now() / 1000);
    const caller = { kind: 'user', tenantId: tenant.tenantId, userId: tenant.adminUserId, upn: tenant.adminUpn };
    const token = await new SignJWT({ caller })
      .setProtectedHeader({ alg: 'ES256', typ: 'rh-internal+jwt' })
      .setIssuer('remote-help-gateway')
      .setAudience('tenant-service')
      .setSubject(`user:${tenant.adminUserId}`)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(key);
    const r = await gql('{ tenant { id } }', {}, token, `${serviceUrls()['tenant-service']}/graphql`);
    expect(r.status).toBe(401);
  });
});
