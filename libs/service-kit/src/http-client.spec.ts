import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from './http-client';

describe('HttpClient', () => {
  let server: http.Server;
  let base: string;
  const seen: { method?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ method: req.method, headers: req.headers, body });
        if (req.url === '/never') return; // holds the request: the client's timeout ends it
        res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json', 'x-echo': String(req.headers['x-echo'] ?? '') });
        res.end(JSON.stringify({ echoed: body }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('POSTs the body with the headers, and returns status, lower-case headers and text', async () => {
    const client = new HttpClient(2_000);
    try {
      const res = await client.post(`${base}/x`, { 'content-type': 'application/json', 'X-Echo': 'hello' }, '{"a":1}');
      expect(res).toEqual({ status: 200, headers: expect.objectContaining({ 'content-type': 'application/json', 'x-echo': 'hello' }), text: '{"echoed":"{\\"a\\":1}"}' });
      expect(seen.at(-1)).toMatchObject({ method: 'POST', body: '{"a":1}' });
      expect((await client.post(`${base}/missing`, {}, '')).status).toBe(404);
    } finally {
      await client.close();
    }
  });

  it('reuses its connections for calls in sequence (keep-alive): 20 calls, at most 2 connections', async () => {
    const client = new HttpClient(2_000);
    const sockets = new Set<unknown>();
    const onConnection = (s: unknown) => sockets.add(s);
    server.on('connection', onConnection);
    try {
      for (let i = 0; i < 20; i++) await client.post(`${base}/x`, {}, String(i));
      expect(sockets.size).toBeGreaterThanOrEqual(1);
      expect(sockets.size).toBeLessThanOrEqual(2);
    } finally {
      server.off('connection', onConnection);
      await client.close();
    }
  });

  it('gives up on a peer that never answers after the timeout', async () => {
    const client = new HttpClient(300);
    const t0 = Date.now();
    try {
      await expect(client.post(`${base}/never`, {}, 'x')).rejects.toThrow(/timeout/i);
      // Not before its timeout (without one, the call would hang past the test's own timeout).
      expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    } finally {
      await client.close();
    }
  });
});
