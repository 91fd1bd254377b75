import type { Caller } from '@remote-help/auth';
import type { HttpResult } from '@remote-help/service-kit';
import type { SubgraphCallContext } from './subgraph-data-source';
import { SubgraphDataSource } from './subgraph-data-source';

const alice: Caller = { kind: 'user', tenantId: 't1', userId: 'u1', upn: 'alice@contoso.com' };

function setup(answer: Partial<HttpResult>) {
  const calls: { url: string; headers: Record<string, string>; body: unknown }[] = [];
  const http = {
    post: jest.fn(async (url: string, headers: Record<string, string>, body: string) => {
      calls.push({ url, headers, body: JSON.parse(body) });
      return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, text: '{"data":{"tenant":{"id":"t1"}}}', ...answer };
    }),
  };
  const tokens = { sign: jest.fn(async (caller: Caller, audience: string) => `token-for-${caller.kind}-${audience}`) };
  const source = new SubgraphDataSource<SubgraphCallContext>('http://127.0.0.1:4001/graphql', 'tenant-service', tokens, http);
  const process = (context: SubgraphCallContext) =>
    source.process({
      kind: 'incoming operation' as never,
      request: { query: '{ tenant { id } }', variables: { a: 1 }, operationName: 'Q' },
      context,
      incomingRequestContext: {} as never,
    });
  return { calls, tokens, process };
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'answered',
    (e) => `${e.extensions?.code ?? 'no code'}: ${e.message}`,
  );

describe('SubgraphDataSource', () => {
  it('POSTs the plan fetch as JSON with the caller as an internal token for this subgraph and the request id', async () => {
    const { calls, process } = setup({});
    expect(await process({ caller: alice, requestId: 'r-1' })).toEqual({ data: { tenant: { id: 't1' } } });
    expect(calls).toEqual([
      {
        url: 'http://127.0.0.1:4001/graphql',
        headers: { 'content-type': 'application/json', authorization: 'Bearer token-for-user-tenant-service', 'x-request-id': 'r-1' },
        body: { query: '{ tenant { id } }', variables: { a: 1 }, operationName: 'Q' },
      },
    ]);
  });

  it('sends no token when there is no caller (the gateway never plans such a fetch for a client)', async () => {
    const { calls, tokens, process } = setup({});
    await process({});
    expect(tokens.sign).not.toHaveBeenCalled();
    expect(calls[0].headers).toEqual({ 'content-type': 'application/json' });
  });

  it.each([
    [413, 'BAD_USER_INPUT: the request is too large for the service that answers it: send smaller values'],
    [401, 'UNAUTHENTICATED: 401: Unauthorized'],
    [403, 'FORBIDDEN: 403: Forbidden'],
    [500, 'no code: 500: Internal Server Error'],
    [400, 'no code: 400: Bad Request'],
  ])('turns a %i answer into an error', async (status, expected) => {
    const { process } = setup({ status, text: '{"errors":[{"message":"nope"}]}' });
    expect(await codeOf(process({ caller: alice }))).toBe(expected);
  });

  it('refuses a 200 answer that is not a JSON object', async () => {
    expect(await codeOf(setup({ headers: { 'content-type': 'text/html' }, text: '<html>' }).process({ caller: alice }))).toBe('no code: Expected JSON response body, but received: <html>');
    expect(await codeOf(setup({ text: '[1]' }).process({ caller: alice }))).toMatch(/^no code: Expected JSON response body/);
    expect(await codeOf(setup({ text: '{"data":' }).process({ caller: alice }))).toMatch(/^no code: Expected JSON response body/);
  });
});

describe('SubgraphDataSource: identical fetches in flight', () => {
  function controlled() {
    const pending: ((text: string) => void)[] = [];
    const http = {
      post: jest.fn(
        (_url: string, _headers: Record<string, string>, _body: string) => new Promise<HttpResult>((resolve) => pending.push((text) => resolve({ status: 200, headers: { 'content-type': 'application/json' }, text }))),
      ),
    };
    const tokens = { sign: async (caller: Caller) => `token-of-${caller.kind === 'user' ? caller.userId : 'x'}` };
    const source = new SubgraphDataSource<SubgraphCallContext>('http://127.0.0.1:4001/graphql', 'tenant-service', tokens, http, { dedupeInflight: true });
    const fetch = (caller: Caller, opts: { operation?: 'query' | 'mutation'; query?: string; variables?: Record<string, unknown> } = {}) =>
      source.process({
        kind: 'incoming operation' as never,
        request: { query: opts.query ?? 'query Q__tenant__0{tenant{id}}', variables: opts.variables ?? {} },
        context: { caller, requestId: 'r' },
        incomingRequestContext: { operation: { operation: opts.operation ?? 'query' } } as never,
      });
    const flush = async () => {
      await new Promise((r) => setImmediate(r));
      pending.splice(0).forEach((answer, i) => answer(`{"data":{"n":${i}}}`));
    };
    return { http, fetch, flush };
  }
  const bob: Caller = { kind: 'user', tenantId: 't1', userId: 'u2', upn: 'bob@contoso.com' };

  it('sends identical query fetches once and gives each waiter its own copy of the answer', async () => {
    const { http, fetch, flush } = controlled();
    const both = Promise.all([fetch(alice), fetch(alice)]);
    await flush();
    const [a, b] = await both;
    expect(http.post).toHaveBeenCalledTimes(1);
    expect(a).toEqual({ data: { n: 0 } });
    expect(b).toEqual(a);
    expect(b).not.toBe(a);
    // Once answered, the next identical fetch is sent again.
    const later = fetch(alice);
    await flush();
    await later;
    expect(http.post).toHaveBeenCalledTimes(2);
  });

  it('never shares between callers, other variables, or fetches of a mutation', async () => {
    const { http, fetch, flush } = controlled();
    const all = Promise.all([
      fetch(alice),
      fetch(bob),
      fetch(alice, { variables: { x: 1 } }),
      fetch(alice, { operation: 'mutation', query: 'mutation M__tenant__0{x}' }),
      fetch(alice, { operation: 'mutation', query: 'mutation M__tenant__0{x}' }),
      fetch(alice, { operation: 'mutation' }), // a read planned after a mutation's write
    ]);
    await flush();
    await all;
    expect(http.post).toHaveBeenCalledTimes(6);
  });
});
