import { ApolloServer, HeaderMap } from '@apollo/server';
import type { Caller } from '@remote-help/auth';
import { parse } from 'graphql';
import { createGatewayErrorFormatter } from './errors';
import { queryLimits } from './query-limits';
import { rateLimitPlugin, RateLimits, rootFieldsOf } from './rate-limits';

const typeDefs = `
  type Query { user(id: ID!): User users(first: Int): [User!]! me: User }
  type User { id: ID! name: String groups: [Group!]! }
  type Group { id: ID! users: [User!]! }
  type Mutation { joinSession(securityCode: String!): Boolean requestSession(deviceId: ID!): Boolean ping: Boolean }
`;
const user = (id: string) => ({ id, name: `user ${id}`, groups: [{ id: 'g1', users: [] }] });
const resolvers = {
  Query: {
    user: (_: unknown, a: { id: string }) => {
      if (a.id !== 'boom') return user(a.id);
      // Like the gateway's downstream errors: a message that cannot be reassigned.
      const e = new Error('read-only failure');
      Object.defineProperty(e, 'message', { get: () => 'read-only failure' });
      throw e;
    },
    users: () => [user('1')],
    me: () => user('me'),
  },
  Mutation: { joinSession: () => true, requestSession: () => true, ping: () => true },
};

const alice: Caller = { kind: 'user', tenantId: 'tenant-a', userId: 'alice', upn: 'alice@a' };
const bob: Caller = { kind: 'user', tenantId: 'tenant-a', userId: 'bob', upn: 'bob@a' };
const carol: Caller = { kind: 'user', tenantId: 'tenant-b', userId: 'carol', upn: 'carol@b' };

interface Ctx {
  caller: Caller;
  internal?: boolean;
}

function server(opts: { production?: boolean; limits?: Partial<ConstructorParameters<typeof RateLimits>[0]> } = {}) {
  const limits = queryLimits({ maxDepth: 4, maxAliases: 3, maxDirectives: 4, maxTokens: 120, maxCost: 300 });
  const rates = new RateLimits({ windowSeconds: 60, perCaller: 0, perTenant: 0, strictPerCaller: 0, strictPerTenant: 0, ...opts.limits });
  const logged: unknown[] = [];
  const s = new ApolloServer<Ctx>({
    typeDefs,
    resolvers,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    plugins: [...(limits.plugins as never[]), rateLimitPlugin<Ctx>(rates)],
    formatError: createGatewayErrorFormatter((err) => logged.push(err), { hideSuggestions: !!opts.production }),
    includeStacktraceInErrorResponses: false,
  });
  const run = async (query: string, caller: Caller = alice, extra: Partial<Ctx> = {}) => {
    const res = await s.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: { query } },
      context: async () => {
        await rates.request(caller);
        return { caller, ...extra };
      },
    });
    const body = res.body.kind === 'complete' ? JSON.parse(res.body.string) : undefined;
    return { status: res.status ?? 200, headers: res.headers, body, codes: (body?.errors ?? []).map((e: { extensions: { code: string } }) => e.extensions.code) };
  };
  return { s, run, logged };
}

describe('query limits (graphql-armor, graphql-js maxTokens)', () => {
  const { s, run } = server();
  beforeAll(() => s.start());
  afterAll(() => s.stop());

  it('serves an ordinary query', async () => {
    const r = await run('{ me { id name groups { id } } }');
    expect(r.status).toBe(200);
    expect(r.body.data.me.id).toBe('me');
  });

  it('refuses a query nested too deep with BAD_USER_INPUT (400)', async () => {
    const r = await run('{ me { groups { users { groups { users { id } } } } } }');
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ message: 'Query depth limit of 4 exceeded, found 6.', extensions: { code: 'BAD_USER_INPUT' } }]);
  });

  it('refuses too many aliases', async () => {
    const r = await run('{ a: me { id } b: me { id } c: me { id } d: me { id } }');
    expect(r.status).toBe(400);
    expect(r.codes).toEqual(['BAD_USER_INPUT']);
    expect(r.body.errors[0].message).toBe('Aliases limit of 3 exceeded, found 4.');
  });

  it('refuses too many directives', async () => {
    const r = await run('{ me { id @include(if: true) name @include(if: true) } users { id @skip(if: false) name @skip(if: false) groups @include(if: true) { id } } }');
    expect(r.status).toBe(400);
    expect(r.codes).toEqual(['BAD_USER_INPUT']);
    expect(r.body.errors[0].message).toMatch(/^Directives limit of 4 exceeded, found 5\.$/);
  });

  it('refuses a document with too many tokens before parsing all of it', async () => {
    const r = await run(`{ me { ${'id '.repeat(200)} } }`);
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ message: 'Token limit of 120 exceeded: the document is too large.', extensions: { code: 'BAD_USER_INPUT' } }]);
  });

  it('refuses an operation whose estimated cost is too high (list sizes count)', async () => {
    const r = await run('{ users(first: 1000) { id } }');
    expect(r.status).toBe(400);
    expect(r.codes).toEqual(['BAD_USER_INPUT']);
    expect(r.body.errors[0].message).toMatch(/^Query Cost limit of 300 exceeded, found \d+/);
  });

  it('keeps field suggestions in development', async () => {
    const r = await run('{ mee { id } }');
    expect(r.codes).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(r.body.errors[0].message).toMatch(/Did you mean "me"/);
  });
});

describe('production mode', () => {
  const { s, run } = server({ production: true });
  beforeAll(() => s.start());
  afterAll(() => s.stop());

  it('hides field suggestions, which would reveal the schema', async () => {
    const r = await run('{ mee { id } }');
    expect(r.codes).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(r.body.errors[0].message).toBe('Cannot query field "mee" on type "Query".');
  });

  it('passes errors with a read-only message through (a subgraph failure is logged, answered as a bare internal error)', async () => {
    const { s: srv, run: run2, logged } = server({ production: true });
    await srv.start();
    try {
      const r = await run2('{ user(id: "boom") { id } }');
      expect(r.body.errors).toEqual([{ message: 'Internal server error', path: ['user'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
      expect(String(logged[0])).toMatch(/read-only failure/);
    } finally {
      await srv.stop();
    }
  });
});

describe('rate limits', () => {
  it('limits each caller, with 429, Retry-After and RATE_LIMITED', async () => {
    const { s, run } = server({ limits: { perCaller: 2 } });
    await s.start();
    try {
      expect((await run('{ me { id } }')).status).toBe(200);
      expect((await run('{ me { id } }')).status).toBe(200);
      const r = await run('{ me { id } }');
      expect(r.status).toBe(429);
      const retry = Number(r.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(60);
      expect(r.body.errors).toEqual([{ message: `too many requests (per caller): try again in ${retry} s`, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retry } }]);
      // Another caller of the same tenant, and a caller of another tenant, are not affected.
      expect((await run('{ me { id } }', bob)).status).toBe(200);
      expect((await run('{ me { id } }', carol)).status).toBe(200);
    } finally {
      await s.stop();
    }
  });

  it('limits each tenant, and leaves other tenants alone', async () => {
    const { s, run } = server({ limits: { perTenant: 3 } });
    await s.start();
    try {
      for (const c of [alice, bob, alice]) expect((await run('{ me { id } }', c)).status).toBe(200);
      expect((await run('{ me { id } }', bob)).codes).toEqual(['RATE_LIMITED']);
      expect((await run('{ me { id } }', carol)).status).toBe(200);
    } finally {
      await s.stop();
    }
  });

  it('counts requestSession and joinSession against stricter budgets, each alias once', async () => {
    const { s, run } = server({ limits: { strictPerCaller: 3 } });
    await s.start();
    try {
      expect((await run('mutation { ping }')).status).toBe(200); // not counted
      expect((await run('mutation { joinSession(securityCode: "x") }')).status).toBe(200);
      expect((await run('mutation { a: joinSession(securityCode: "x") b: requestSession(deviceId: "d") }')).status).toBe(200);
      const r = await run('mutation { joinSession(securityCode: "y") }');
      expect(r.status).toBe(429);
      expect(r.body.errors[0].message).toMatch(/requestSession\/joinSession per caller/);
      expect(r.body.data).toBeUndefined();
      expect((await run('mutation { ping }')).status).toBe(200);
      // The gateway's own operations (subscription payloads) are not counted.
      expect((await run('mutation { joinSession(securityCode: "z") }', alice, { internal: true })).status).toBe(200);
    } finally {
      await s.stop();
    }
  });
});

describe('rootFieldsOf', () => {
  const roots = (q: string, name?: string) => {
    const doc = parse(q);
    const op = doc.definitions.find((d) => d.kind === 'OperationDefinition' && (!name || d.name?.value === name));
    return rootFieldsOf(doc, op as never).sort();
  };
  it('reads fields, aliases, inline fragments and fragment spreads', () => {
    expect(roots('mutation { a: joinSession(securityCode: "1") b: joinSession(securityCode: "2") joinSession(securityCode: "3") }')).toEqual(['joinSession', 'joinSession', 'joinSession']);
    expect(roots('mutation { ... on Mutation { joinSession(securityCode: "1") } ...F } fragment F on Mutation { r: requestSession(deviceId: "d") __typename }')).toEqual(['joinSession', 'requestSession']);
    expect(roots('mutation { ...F ...F } fragment F on Mutation { requestSession(deviceId: "d") }')).toEqual(['requestSession']);
    expect(roots('query A { me { id } } mutation B { ping }', 'B')).toEqual(['ping']);
  });
});
