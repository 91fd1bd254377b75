import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import { Writable } from 'node:stream';
import { RequestContextMiddleware, requestLogMixin } from './request-context';

function fakeExchange(headers: Record<string, string> = {}) {
  const set: Record<string, string> = {};
  const req = { headers } as unknown as IncomingMessage & { id?: unknown };
  const res = { setHeader: (k: string, v: string) => (set[k] = v) } as unknown as ServerResponse;
  return { req, res, set };
}

describe('RequestContextMiddleware and requestLogMixin', () => {
  it("takes the caller's x-request-id, echoes it, and gives it to every log line of the request, across awaits", async () => {
    const { req, res, set } = fakeExchange({ 'x-request-id': 'gw-42' });
    const lines: string[] = [];
    const log = pino({ level: 'warn', mixin: requestLogMixin }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    let inside: Promise<void> | undefined;
    new RequestContextMiddleware().use(req, res, () => {
      inside = (async () => {
        await new Promise((r) => setTimeout(r, 5));
        log.warn('inside the request');
      })();
    });
    await inside;
    log.warn('outside any request');
    expect(req.id).toBe('gw-42');
    expect(set).toEqual({ 'x-request-id': 'gw-42' });
    expect(lines.map((l) => JSON.parse(l)).map(({ msg, reqId }) => ({ msg, reqId }))).toEqual([
      { msg: 'inside the request', reqId: 'gw-42' },
      { msg: 'outside any request', reqId: undefined },
    ]);
  });

  it('makes up an id when the caller sent none, and keeps concurrent requests apart', async () => {
    const a = fakeExchange();
    const b = fakeExchange({ 'x-request-id': 'b-1' });
    const seen: Record<string, unknown> = {};
    const serve = (x: ReturnType<typeof fakeExchange>, name: string, delay: number) =>
      new Promise<void>((done) =>
        new RequestContextMiddleware().use(x.req, x.res, () => {
          setTimeout(() => {
            seen[name] = requestLogMixin().reqId;
            done();
          }, delay);
        }),
      );
    await Promise.all([serve(a, 'a', 10), serve(b, 'b', 1)]);
    expect(a.req.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.set['x-request-id']).toBe(a.req.id);
    expect(seen).toEqual({ a: a.req.id, b: 'b-1' });
    expect(requestLogMixin()).toEqual({});
  });
});
