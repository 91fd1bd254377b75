import type { Caller } from '@remote-help/auth';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BadRequestException } from '@nestjs/common';
import { graphqlFront, InternalRoutes, servedByFront } from './graphql-front';
import { requestLogMixin } from './request-context';

const CALLER: Caller = { kind: 'user', tenantId: '00000000-0000-4000-8000-000000000001', userId: '00000000-0000-4000-8000-000000000002' } as Caller;

interface Seen {
  body: unknown;
  caller: unknown;
  id: unknown;
  logContext: unknown;
}

describe('graphqlFront', () => {
  let server: Server;
  let port: number;
  let seen: Seen[];
  let fallbackUrls: string[];
  let errors: unknown[];
  let handlerFails: boolean;
  let lines: { id: unknown; url: string | undefined; status: number }[];
  let authCalls: [string | undefined, boolean][];
  const internal = new InternalRoutes();
  internal.post('/internal/echo', async ({ caller, body }) => {
    const b = body as { fail?: string };
    if (b.fail === 'bad') throw new BadRequestException('tenantId must be a UUID');
    if (b.fail === 'crash') throw new Error('db password=secret');
    return { caller, body, logContext: requestLogMixin() };
  });

  beforeAll(async () => {
    server = createServer(
      graphqlFront({
        graphql: async (req, res, next) => {
          const r = req as IncomingMessage & { body?: unknown; caller?: unknown; id?: unknown };
          await new Promise((resolve) => setImmediate(resolve)); // the log context survives awaits
          seen.push({ body: r.body, caller: r.caller, id: r.id, logContext: requestLogMixin() });
          if (handlerFails) return next(new Error('context failed /secret/path.ts:1'));
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ data: { ok: true } }));
        },
        internal,
        authenticate: async (authorization, internalRoute) => {
          authCalls.push([authorization, internalRoute]);
          return authorization === 'Bearer good' ? CALLER : undefined;
        },
        fallback: (req: IncomingMessage, res: ServerResponse) => {
          fallbackUrls.push(`${req.method} ${req.url}`);
          res.statusCode = 299;
          req.resume();
          req.on('end', () => res.end('express'));
        },
        limitBytes: 1000,
        onError: (err) => errors.push(err),
        requestLine: (req, res) => lines.push({ id: req.id, url: req.url, status: res.statusCode }),
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  beforeEach(() => {
    seen = [];
    fallbackUrls = [];
    errors = [];
    handlerFails = false;
    lines = [];
    authCalls = [];
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Waits (up to 2 s) until `n` request lines are written; the assertions that follow say what they hold. */
  async function untilLogged(n: number) {
    for (let waited = 0; lines.length < n && waited < 2000; waited += 5) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  async function post(path: string, body: string, headers: Record<string, string> = {}, method = 'POST') {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: 'Bearer good', ...headers },
      ...(method === 'GET' ? {} : { body }),
    });
    const text = await res.text();
    return { status: res.status, text, requestId: res.headers.get('x-request-id') };
  }

  it('serves POST /graphql itself: parsed body, verified caller, request id (echoed) and its log context', async () => {
    const res = await post('/graphql', '{"query":"{ ok }"}', { 'x-request-id': 'rid-1' });
    expect(res).toEqual({ status: 200, text: '{"data":{"ok":true}}', requestId: 'rid-1' });
    expect(seen).toEqual([{ body: { query: '{ ok }' }, caller: CALLER, id: 'rid-1', logContext: { reqId: 'rid-1' } }]);
    expect(fallbackUrls).toEqual([]);
    await untilLogged(1); // the line is written on the response's 'close', which follows the answer
    expect(lines).toEqual([{ id: 'rid-1', url: '/graphql', status: 200 }]);
  });

  it('makes a request id when the caller sends none, and serves /graphql with a query string and a UTF-8 charset', async () => {
    const res = await post('/graphql?x=1', '{"query":"{ ok }"}', { 'content-type': 'application/json; charset=UTF-8' });
    expect(res.status).toBe(200);
    expect(res.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[0].id).toBe(res.requestId);
  });

  it('answers 401 without a valid internal token, and never reaches GraphQL', async () => {
    for (const authorization of ['Bearer bad', '']) {
      const res = await post('/graphql', '{"query":"{ ok }"}', { authorization });
      expect(res.status).toBe(401);
      expect(JSON.parse(res.text)).toEqual({ errors: [{ message: expect.stringContaining('answers only the gateway'), extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    expect(seen).toEqual([]);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const res = await post('/graphql', '{"query":', {});
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ errors: [{ message: 'the request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    expect(seen).toEqual([]);
  });

  it('answers 413 to a body over the limit, declared or streamed, and keeps serving', async () => {
    const big = JSON.stringify({ query: 'x'.repeat(2000) });
    const declared = await post('/graphql', big);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.text).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');

    // No content-length: the body arrives in chunks and passes the limit on the way.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer good' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"query":"');
      req.end(`${'y'.repeat(1500)}"}`);
    });
    expect(streamed).toBe(413);
    expect(seen).toEqual([]);
    expect((await post('/graphql', '{"query":"{ ok }"}')).status).toBe(200);
  });

  it('answers 500 without details when the handler fails outside GraphQL, and reports the error', async () => {
    handlerFails = true;
    const res = await post('/graphql', '{"query":"{ ok }"}');
    expect(res.status).toBe(500);
    expect(JSON.parse(res.text)).toEqual({ errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    expect(res.text).not.toContain('secret');
    expect(errors).toHaveLength(1);
    await untilLogged(1);
    expect(lines).toEqual([expect.objectContaining({ status: 500 })]);
  });

  it('serves the registered internal routes with the same token check (as an internal route), body and request id', async () => {
    const res = await post('/internal/echo', '{"a":1}', { 'x-request-id': 'rid-9' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ caller: CALLER, body: { a: 1 }, logContext: { reqId: 'rid-9' } });
    expect(authCalls).toEqual([['Bearer good', true]]);
    expect((await post('/internal/echo', '{}', { authorization: 'Bearer bad' })).status).toBe(401);
    expect(fallbackUrls).toEqual([]);
  });

  it("answers an internal route's errors as Nest does: HttpException as it says, anything else 500 without details", async () => {
    const bad = await post('/internal/echo', '{"fail":"bad"}');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toEqual({ statusCode: 400, message: 'tenantId must be a UUID', error: 'Bad Request' });
    const crash = await post('/internal/echo', '{"fail":"crash"}');
    expect(crash.status).toBe(500);
    expect(JSON.parse(crash.text)).toEqual({ statusCode: 500, message: 'Internal server error' });
    expect(errors).toEqual([expect.objectContaining({ message: 'db password=secret' })]);
  });

  it('refuses to register a route outside /internal/ or twice', () => {
    const routes = new InternalRoutes();
    expect(() => routes.post('/graphql', async () => null)).toThrow(/not under \/internal/);
    routes.post('/internal/a', async () => null);
    expect(() => routes.post('/internal/a', async () => null)).toThrow(/twice/);
  });

  it('hands every other request to the fallback (Express) untouched', async () => {
    await post('/internal/echo?x=1', '{}');
    await post('/internal/echo', 'a=1', { 'content-type': 'application/x-www-form-urlencoded' });
    await post('/internal/access-decisions', '{}');
    await post('/graphql', '', {}, 'GET');
    await post('/graphql', 'query { ok }', { 'content-type': 'application/graphql' });
    await post('/graphql', '{}', { 'content-type': 'application/json; charset=latin1' });
    await post('/graphqlx', '{}');
    await post('/health', '{}');
    expect(fallbackUrls).toEqual(['POST /internal/echo?x=1', 'POST /internal/echo', 'POST /internal/access-decisions', 'GET /graphql', 'POST /graphql', 'POST /graphql', 'POST /graphqlx', 'POST /health']);
    expect(seen).toEqual([]);
    expect(lines).toEqual([]); // Express's pino-http writes those lines
  });
});

describe('servedByFront', () => {
  const req = (method: string, url: string, headers: Record<string, string>) => ({ method, url, headers }) as unknown as IncomingMessage;
  const json = { 'content-type': 'application/json' };

  it.each([
    ['POST', '/graphql', json, true],
    ['POST', '/graphql?a=b', json, true],
    ['POST', '/graphql', { 'content-type': 'application/json;charset=utf-8' }, true],
    ['POST', '/graphql', { ...json, 'content-encoding': 'identity' }, true],
    ['POST', '/graphql', { ...json, 'content-encoding': 'gzip' }, false],
    ['POST', '/graphql', { 'content-type': 'application/json; charset=utf-16' }, false],
    ['POST', '/graphql', {}, false],
    ['POST', '/graphql/', json, false],
    ['PUT', '/graphql', json, false],
    ['GET', '/graphql?query=%7Bok%7D', {}, false],
  ])('%s %s %j: %s', (method, url, headers, expected) => {
    expect(servedByFront(req(method, url, headers as Record<string, string>))).toBe(expected);
  });
});
