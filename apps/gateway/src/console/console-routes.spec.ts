import express from 'express';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { consoleCsp, consoleIssuers, consoleRoutes, explorerRedirect, parseConsoleOidcClients, type ConsoleRuntimeConfig } from './console-routes';

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
      // popups of the sign-in: the console keeps its handle on them; the callback stays in its group and may be framed by it
      expect((await s.get('/monitor')).headers.get('cross-origin-opener-policy')).toBe('same-origin-allow-popups');
      const callback = await s.get('/sign-in/callback?code=x&state=y');
      expect(await callback.text()).toContain('<div id="root">');
      expect(callback.headers.get('cross-origin-opener-policy')).toBe('unsafe-none');
      expect(callback.headers.get('content-security-policy')).toBe(consoleCsp(CONFIG, { framedBySelf: true }));
      expect(consoleCsp(CONFIG, { framedBySelf: true })).toContain("frame-ancestors 'self';");
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
    const csp = consoleCsp({
      apiUrl: 'https://api.contoso.com/graphql',
      devIssuer: false,
      graphiql: false,
      oidcIssuers: [{ discoveryUrl: 'https://login.example.com/t/v2.0/.well-known/openid-configuration', audience: 'x' }],
    });
    expect(csp).toContain("connect-src 'self' https://api.contoso.com wss://api.contoso.com https://login.example.com;");
  });

  it('adds frames of the issuers the console signs in with (renewal without a refresh token), none for API-only issuers', () => {
    const issuer = { discoveryUrl: 'https://login.example.com/t/v2.0', audience: 'x' };
    expect(consoleCsp({ ...CONFIG, oidcIssuers: [issuer] })).not.toContain('frame-src');
    expect(consoleCsp({ ...CONFIG, oidcIssuers: [{ ...issuer, clientId: 'console' }] })).toContain("frame-src 'self' https://login.example.com;");
  });
});

describe('the console OIDC clients (CONSOLE_OIDC_CLIENTS)', () => {
  const A = 'https://login.example.com/t/v2.0';
  it('reads each public client with the default scope and the issuer host as label', () => {
    expect(parseConsoleOidcClients('[]')).toEqual([]);
    expect(
      parseConsoleOidcClients(
        JSON.stringify([
          { discoveryUrl: A, clientId: 'c1' },
          { discoveryUrl: 'http://127.0.0.1:9/', clientId: 'c2', scope: 'openid api', resource: 'api://remote-help', label: 'Test' },
        ]),
      ),
    ).toEqual([
      { discoveryUrl: A, clientId: 'c1', scope: 'openid profile offline_access', label: 'login.example.com' },
      { discoveryUrl: 'http://127.0.0.1:9/', clientId: 'c2', scope: 'openid api', resource: 'api://remote-help', label: 'Test' },
    ]);
  });

  it.each([
    ['{', /must be a JSON array/],
    ['{}', /must be a JSON array/],
    ['[1]', /entry 1: must be an object/],
    [`[{"clientId":"c"}]`, /entry 1: discoveryUrl is required/],
    [`[{"discoveryUrl":"${A}"}]`, /entry 1: clientId is required/],
    [`[{"discoveryUrl":"${A}","clientId":" "}]`, /entry 1: clientId is required/],
    [`[{"discoveryUrl":"nope","clientId":"c"}]`, /entry 1: discoveryUrl must be a URL/],
    [`[{"discoveryUrl":"${A}","clientId":"c","secret":"s"}]`, /entry 1: unknown field "secret"/],
    [`[{"discoveryUrl":"${A}","clientId":"c","scope":"profile"}]`, /entry 1: scope must include openid/],
    [`[{"discoveryUrl":"${A}","clientId":"c","label":5}]`, /entry 1: label must be a non-empty string/],
    [`[{"discoveryUrl":"${A}","clientId":"c"},{"discoveryUrl":"${A}","clientId":"d"}]`, /entry 2: .* is listed twice/],
  ])('refuses %s', (raw, message) => {
    expect(() => parseConsoleOidcClients(raw)).toThrow(message);
  });

  it('joins the clients to the accepted issuers, and refuses a client of an issuer the gateway does not accept', () => {
    const issuers = [
      { discoveryUrl: A, audience: 'api://remote-help' },
      { discoveryUrl: 'https://other.example.com', audience: ['a'] },
    ];
    const clients = parseConsoleOidcClients(JSON.stringify([{ discoveryUrl: A, clientId: 'console', resource: 'api://remote-help' }]));
    expect(consoleIssuers(issuers, clients)).toEqual([
      { discoveryUrl: A, audience: 'api://remote-help', clientId: 'console', scope: 'openid profile offline_access', label: 'login.example.com', resource: 'api://remote-help' },
      { discoveryUrl: 'https://other.example.com', audience: ['a'] },
    ]);
    expect(() => consoleIssuers(issuers.slice(1), clients)).toThrow(`CONSOLE_OIDC_CLIENTS: ${A} is not an issuer of OIDC_ISSUERS`);
  });
});

describe('GET /graphql from a browser', () => {
  it('goes to the bundled GraphQL explorer; API calls (a query, JSON, POST) go on', async () => {
    const app = express();
    app.get('/graphql', explorerRedirect());
    app.use('/graphql', (_req, res) => void res.json({ api: true }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    try {
      const page = await fetch(url, { headers: { accept: 'text/html,application/xhtml+xml;q=0.9' }, redirect: 'manual' });
      expect([page.status, page.headers.get('location')]).toEqual([302, '/graphiql']);
      expect(await (await fetch(`${url}?query=%7B__typename%7D`, { headers: { accept: 'text/html' }, redirect: 'manual' })).json()).toEqual({ api: true });
      expect(await (await fetch(url, { headers: { accept: 'application/json' }, redirect: 'manual' })).json()).toEqual({ api: true });
      expect(await (await fetch(url, { method: 'POST', headers: { accept: 'text/html' }, redirect: 'manual' })).json()).toEqual({ api: true });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
