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
  /**
   * OpenID Connect issuers the gateway accepts (their discovery URLs). Those with a `clientId`
   * (`CONSOLE_OIDC_CLIENTS`) are offered on the sign-in page: Authorization Code flow with PKCE
   * for that public client, asking for `scope` (and `resource`, where the issuer uses resource indicators).
   */
  oidcIssuers: ConsoleIssuer[];
  /** Whether the console offers its GraphQL explorer (GraphiQL) at /graphiql. */
  graphiql: boolean;
}

export interface ConsoleIssuer {
  discoveryUrl: string;
  audience: string | string[];
  clientId?: string;
  scope?: string;
  resource?: string;
  /** The name on the sign-in button ("Sign in with <label>"). */
  label?: string;
}

/** The console's public client at one issuer (`CONSOLE_OIDC_CLIENTS`). */
export interface ConsoleOidcClient {
  /** An issuer of OIDC_ISSUERS, spelt as there. */
  discoveryUrl: string;
  clientId: string;
  scope: string;
  resource?: string;
  label: string;
}

const CLIENT_KEYS = new Set(['discoveryUrl', 'clientId', 'scope', 'resource', 'label']);
/** Sign-in (openid), the account's name (profile) and a refresh token to renew the access token in the background. */
export const DEFAULT_CONSOLE_SCOPE = 'openid profile offline_access';

/**
 * Parses `CONSOLE_OIDC_CLIENTS`: a JSON array of
 * `{"discoveryUrl", "clientId", "scope"?, "resource"?, "label"?}`, one per issuer the console
 * signs in with (a public client: no secret, PKCE). Throws naming the entry and the field.
 */
export function parseConsoleOidcClients(raw: string): ConsoleOidcClient[] {
  const shape = 'must be a JSON array of {"discoveryUrl", "clientId", "scope"?, "resource"?, "label"?}';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(shape);
  }
  if (!Array.isArray(parsed)) throw new Error(shape);
  const seen = new Set<string>();
  return parsed.map((item, i) => {
    const at = `entry ${i + 1}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new Error(`${at}: must be an object`);
    const o = item as Record<string, unknown>;
    const unknown = Object.keys(o).find((k) => !CLIENT_KEYS.has(k));
    if (unknown) throw new Error(`${at}: unknown field "${unknown}"`);
    for (const k of ['discoveryUrl', 'clientId'] as const) if (typeof o[k] !== 'string' || o[k].trim() === '') throw new Error(`${at}: ${k} is required`);
    for (const k of ['scope', 'resource', 'label'] as const) if (o[k] !== undefined && (typeof o[k] !== 'string' || o[k].trim() === '')) throw new Error(`${at}: ${k} must be a non-empty string`);
    const discoveryUrl = o.discoveryUrl as string;
    let url: URL;
    try {
      url = new URL(discoveryUrl);
    } catch {
      throw new Error(`${at}: discoveryUrl must be a URL, got "${discoveryUrl}"`);
    }
    if (seen.has(discoveryUrl)) throw new Error(`${at}: ${discoveryUrl} is listed twice`);
    seen.add(discoveryUrl);
    const scope = (o.scope as string | undefined) ?? DEFAULT_CONSOLE_SCOPE;
    if (!scope.split(/\s+/).includes('openid')) throw new Error(`${at}: scope must include openid, got "${scope}"`);
    return { discoveryUrl, clientId: o.clientId as string, scope, ...(o.resource ? { resource: o.resource as string } : {}), label: (o.label as string | undefined) ?? url.host };
  });
}

/**
 * The issuers as the console sees them: every accepted issuer, with the console's client where
 * one is configured. A client of an issuer that OIDC_ISSUERS does not list is a mistake: the
 * gateway would refuse its tokens.
 */
export function consoleIssuers(issuers: { discoveryUrl: string; audience: string | string[] }[], clients: ConsoleOidcClient[]): ConsoleIssuer[] {
  const stray = clients.find((c) => !issuers.some((i) => i.discoveryUrl === c.discoveryUrl));
  if (stray) throw new Error(`CONSOLE_OIDC_CLIENTS: ${stray.discoveryUrl} is not an issuer of OIDC_ISSUERS (spell it as there)`);
  return issuers.map((i) => {
    const c = clients.find((x) => x.discoveryUrl === i.discoveryUrl);
    return { discoveryUrl: i.discoveryUrl, audience: i.audience, ...(c ? { clientId: c.clientId, scope: c.scope, label: c.label, ...(c.resource ? { resource: c.resource } : {}) } : {}) };
  });
}

/**
 * `GET /graphql` from a browser (a page, not an API call): the bundled GraphQL explorer of the
 * console instead of Apollo's Sandbox, which loads from Apollo's CDN (a blank page on a closed
 * network). Mounted only where the console offers the explorer; API calls go on.
 */
export function explorerRedirect(explorerPath = '/graphiql'): express.RequestHandler {
  return (req, res, next) => {
    const wantsPage = req.method === 'GET' && req.query.query === undefined && prefersHtml(req.headers.accept);
    if (!wantsPage) return next();
    res.redirect(302, explorerPath);
  };
}

/** Whether an Accept header names text/html (a browser navigating to the URL). */
export function prefersHtml(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((t) => t.trim().toLowerCase().startsWith('text/html'));
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
  const callbackCsp = consoleCsp(o.config, { framedBySelf: true });
  router.get(/.*/, (req, res, next) => {
    if (!prefersHtml(req.headers.accept) || API_PATHS.test(req.path) || path.extname(req.path) !== '') return next();
    // Sign-in with an issuer: the console opens a popup (an expired sign-in) and keeps its handle
    // on it, so its pages allow popups; the page the issuer sends the popup (or the renewal's
    // hidden frame) back to must stay in the console's group of windows and may be framed by it.
    const callback = req.path === SIGN_IN_CALLBACK_PATH;
    res.setHeader('content-security-policy', callback ? callbackCsp : csp);
    res.setHeader('cross-origin-opener-policy', callback ? 'unsafe-none' : 'same-origin-allow-popups');
    if (!built) {
      res.status(503).type('text/plain').send('The admin console is not built: run npm run build (or npm start).\n');
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}

/** Where issuers send the browser back after sign-in (the console's `CALLBACK_PATH`, apps/admin-console/src/oidc.ts). */
export const SIGN_IN_CALLBACK_PATH = '/sign-in/callback';

/** The content security policy of the console's responses; the sign-in callback may be framed by the console (renewal in a hidden frame). */
export function consoleCsp(config: ConsoleRuntimeConfig, opts: { framedBySelf?: boolean } = {}): string {
  const origins = new Set<string>();
  if (!config.apiUrl.startsWith('/')) {
    const api = new URL(config.apiUrl);
    origins.add(api.origin);
    origins.add(`${api.protocol === 'https:' ? 'wss:' : 'ws:'}//${api.host}`);
  }
  for (const i of config.oidcIssuers) origins.add(new URL(i.discoveryUrl).origin);
  const connect = ["'self'", ...origins].join(' ');
  // The console signs in through these issuers; renewal without a refresh token runs in a hidden frame.
  const signIn = new Set(config.oidcIssuers.filter((i) => i.clientId).map((i) => new URL(i.discoveryUrl).origin));
  return [
    "default-src 'none'",
    "script-src 'self'",
    // GraphiQL's editor (Monaco) adds its styles as <style> elements.
    config.graphiql ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    ...(signIn.size ? [`frame-src 'self' ${[...signIn].join(' ')}`] : []),
    opts.framedBySelf ? "frame-ancestors 'self'" : "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}
