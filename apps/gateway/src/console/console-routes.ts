import express from 'express';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from 'pino';

/** What the console reads at start (`/console-config.json`), so that one build serves any deployment. */
export interface ConsoleRuntimeConfig {
  /** The GraphQL endpoint (HTTP); the WebSocket URL is the same with ws(s):. Relative to the page when it starts with "/". */
  apiUrl: string;
  /** Whether the sign-in page offers the "Development token" field (the gateway accepts the development issuer's tokens). */
  devIssuer: boolean;
  /** OpenID Connect issuers the gateway accepts (their discovery URLs), for the Authorization Code sign-in. */
  oidcIssuers: { discoveryUrl: string; audience: string | string[] }[];
  /** Whether the console offers its GraphQL explorer (GraphiQL) at /graphiql. */
  graphiql: boolean;
}

export interface ConsoleOptions {
  /** The built console (index.html and assets/). */
  dir: string;
  config: ConsoleRuntimeConfig;
  log: Logger;
}

/** Paths of the API and of the processes: never answered with the console's page. */
const API_PATHS = /^\/(graphql|exports|health|metrics|internal|scim)(\/|$)/;

/**
 * The admin console's static files at `/`, its runtime configuration at `/console-config.json`,
 * and its client-side routes: a GET that accepts text/html and is not an API path gets
 * index.html; anything else falls through (to the 404 of unknown paths).
 */
export function consoleRoutes(o: ConsoleOptions): express.Router {
  const router = express.Router();
  const index = path.join(o.dir, 'index.html');
  const built = fs.existsSync(index);
  if (!built) o.log.warn({ dir: o.dir }, 'the admin console is not built (npm run build): / answers 503 until it is');

  // The console's own content security policy (in every environment): its scripts and styles
  // from here only, API calls to here (HTTP and WebSocket), the API URL and the issuers.
  // Only on what the console serves: other answers (API, unknown paths) keep the gateway's policy.
  const csp = consoleCsp(o.config);
  const withCsp = (res: express.Response) => res.setHeader('content-security-policy', csp);
  router.get('/console-config.json', (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json(o.config);
  });
  // Hashed asset names never change content: cached for a year; index.html is always asked again.
  router.use('/assets', express.static(path.join(o.dir, 'assets'), { index: false, immutable: true, maxAge: '365d', setHeaders: withCsp }));
  router.use(express.static(o.dir, { index: false, maxAge: 0, setHeaders: withCsp }));
  router.get(/.*/, (req, res, next) => {
    const acceptsHtml = (req.headers.accept ?? '').split(',').some((t) => t.trim().toLowerCase().startsWith('text/html'));
    if (!acceptsHtml || API_PATHS.test(req.path) || path.extname(req.path) !== '') return next();
    withCsp(res);
    if (!built) {
      res.status(503).type('text/plain').send('The admin console is not built: run npm run build (or npm start).\n');
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}

/** The content security policy of the console's responses. */
export function consoleCsp(config: ConsoleRuntimeConfig): string {
  const origins = new Set<string>();
  if (!config.apiUrl.startsWith('/')) {
    const api = new URL(config.apiUrl);
    origins.add(api.origin);
    origins.add(`${api.protocol === 'https:' ? 'wss:' : 'ws:'}//${api.host}`);
  }
  for (const i of config.oidcIssuers) origins.add(new URL(i.discoveryUrl).origin);
  const connect = ["'self'", ...origins].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    // GraphiQL's editor (Monaco) adds its styles as <style> elements.
    config.graphiql ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}
