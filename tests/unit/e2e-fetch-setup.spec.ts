import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import '../e2e/support/fetch-setup';

/**
 * The end-to-end tests' `fetch` (tests/e2e/support/fetch-setup.ts), in Jest's test environment
 * as the e2e files get it: every request on a connection of its own. A kept-alive connection can
 * be closed by the server (its keep-alive timeout) at the moment the client sends its next
 * request on it, which fails with "other side closed"; the e2e tests' process is blocked for
 * seconds at a time by the CLI (spawnSync), so its own keep-alive timers do not retire idle
 * connections before the server's.
 */
describe("the end-to-end tests' fetch", () => {
  let server: http.Server;
  let url: string;
  const seen: { socket: unknown; connection?: string }[] = [];

  beforeAll(async () => {
    const requestsOf = new WeakMap<object, number>();
    server = http.createServer((req, res) => {
      seen.push({ socket: req.socket, connection: req.headers.connection });
      const n = (requestsOf.get(req.socket) ?? 0) + 1;
      requestsOf.set(req.socket, n);
      // The race, every time: a connection used again is closed as the request arrives.
      if (n > 1) return void req.socket.end();
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('opens a connection per request and asks the server to close it, so that no request goes on a connection the server is closing', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(await res.json()).toEqual({ ok: true });
    }
    expect(seen.map((s) => s.connection)).toEqual(['close', 'close', 'close']);
    expect(new Set(seen.map((s) => s.socket)).size).toBe(3);
  });
});
