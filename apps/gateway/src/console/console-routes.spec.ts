import express from 'express';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { consoleCsp, consoleRoutes, type ConsoleRuntimeConfig } from './console-routes';

const CONFIG: ConsoleRuntimeConfig = { apiUrl: '/graphql', devIssuer: true, oidcIssuers: [], graphiql: false };

async function serve(dir: string, config = CONFIG) {
  const app = express();
  app.use(consoleRoutes({ dir, config, log: pino({ level: 'silent' }) }));
  app.use((_req, res) => void res.status(404).json({ errors: [{ message: 'not found', extensions: { code: 'NOT_FOUND' } }] }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { get: (p: string, accept = 'text/html', method = 'GET') => fetch(`${base}${p}`, { method, headers: { accept } }), close: () => new Promise((r) => server.close(r)) };
}

function builtConsole(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
  return dir;
}

describe('the console routes', () => {
  it('index.html for browser GETs of client routes only; assets cached for good; config; API paths and other requests fall through', async () => {
    const s = await serve(builtConsole());
    try {
      for (const p of ['/', '/monitor', '/roles/x']) expect(await (await s.get(p)).text()).toContain('<div id="root">');
      expect((await s.get('/monitor', 'application/json')).status).toBe(404);
      expect((await s.get('/monitor', '*/*')).status).toBe(404);
      expect((await s.get('/monitor', 'text/html', 'POST')).status).toBe(404);
      for (const p of ['/graphql/x', '/exports/x.csv', '/health/live', '/metrics', '/internal/a', '/scim/v2/Users', '/missing.js']) expect([p, (await s.get(p)).status]).toEqual([p, 404]);
      const asset = await s.get('/assets/index-abc.js', '*/*');
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(await (await s.get('/console-config.json', 'application/json')).json()).toEqual(CONFIG);
      expect((await s.get('/')).headers.get('content-security-policy')).toBe(consoleCsp(CONFIG));
      expect((await s.get('/assets/index-abc.js', '*/*')).headers.get('content-security-policy')).toBe(consoleCsp(CONFIG));
      expect((await s.get('/unknown', 'application/json')).headers.get('content-security-policy')).toBeNull();
    } finally {
      await s.close();
    }
  });

  it('answers 503 with what to do while the console is not built', async () => {
    const s = await serve(path.join(os.tmpdir(), 'no-such-console'));
    try {
      const r = await s.get('/settings');
      expect(r.status).toBe(503);
      expect(await r.text()).toMatch(/npm run build/);
      expect((await s.get('/console-config.json', 'application/json')).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('allows scripts and styles from the gateway only, and API calls to it, an absolute API URL and the issuers', () => {
    expect(consoleCsp(CONFIG)).toBe("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    expect(consoleCsp({ ...CONFIG, graphiql: true })).toContain("style-src 'self' 'unsafe-inline';");
    const csp = consoleCsp({ apiUrl: 'https://api.contoso.com/graphql', devIssuer: false, graphiql: false, oidcIssuers: [{ discoveryUrl: 'https://login.example.com/t/v2.0/.well-known/openid-configuration', audience: 'x' }] });
    expect(csp).toContain("connect-src 'self' https://api.contoso.com wss://api.contoso.com https://login.example.com;");
  });
});
