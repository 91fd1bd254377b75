/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eventually } from '../e2e/support/client';
import { helpDesk } from '../e2e/support/fixtures';
import { OidcProvider, startGateway, type ExtraGateway } from '../e2e/support/oidc-processes';
import { check, launch } from './browser';

/**
 * OpenID Connect sign-in in the browser: the console's public client at a real issuer (panva's
 * oidc-provider, in its own process), through a gateway in production mode that accepts that
 * issuer only (no development token). Authorization Code flow with PKCE, the token in memory and
 * renewed with the refresh token, sign-out at the issuer, an expired sign-in asked again in a
 * popup without losing what was typed.
 */

const AUDIENCE = 'api://remote-help';
const CLIENT_ID = 'remote-help-console';
// Short-lived access tokens: oidc-client-ts renews 60 s before the end, so about 10 s after each one.
const TTL_SECONDS = 70;

let browser: Browser;
let provider: OidcProvider;
let gateway: ExtraGateway;
let desk: Awaited<ReturnType<typeof helpDesk>>;
let context: BrowserContext;
let page: Page;
/** What the page sent: the authorization requests, the token endpoint's grants, the bearers sent to the API. */
let seen: { authorize: URLSearchParams[]; grants: string[]; bearers: string[] };

beforeAll(async () => {
  browser = await launch();
  desk = await helpDesk();
  provider = await OidcProvider.start();
  gateway = await startGateway({
    NODE_ENV: 'production',
    OIDC_ISSUERS: JSON.stringify([{ discoveryUrl: provider.issuer, audience: AUDIENCE }]),
    CONSOLE_OIDC_CLIENTS: JSON.stringify([{ discoveryUrl: provider.issuer, clientId: CLIENT_ID, scope: 'openid offline_access api', resource: AUDIENCE, label: 'Test issuer' }]),
  });
  await provider.publicClient(CLIENT_ID, { redirectUris: [`${gateway.base}/sign-in/callback`], postLogoutRedirectUris: [`${gateway.base}/`], ttlSeconds: TTL_SECONDS });
  await provider.account('admin', { tid: desk.t.tenantId, oid: randomUUID(), preferred_username: desk.t.adminUpn });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await provider?.stop();
});

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Only the two local servers (the issuer's development pages ask for a web font).
  await context.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.abort(),
  );
  page = await context.newPage();
  seen = { authorize: [], grants: [], bearers: [] };
  context.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin === provider.issuer && url.pathname === '/auth') seen.authorize.push(url.searchParams);
    if (url.origin === provider.issuer && url.pathname === '/token') seen.grants.push(new URLSearchParams(r.postData() ?? '').get('grant_type') ?? '');
    const bearer = r.headers().authorization;
    if (r.url() === gateway.url && bearer && !seen.bearers.includes(bearer)) seen.bearers.push(bearer);
  });
});

afterEach(async () => {
  await context?.close();
});

/** The issuer's own login and consent pages (any password). */
async function atIssuer(p: Page) {
  await p.locator('input[name="login"]').fill('admin');
  await p.locator('input[name="password"]').fill('any password');
  await p.getByRole('button', { name: 'Sign-in' }).click();
  await p.getByRole('button', { name: 'Continue' }).click();
}

describe('signing in with an OpenID Connect issuer', () => {
  it('signs in with Authorization Code + PKCE, shows the user their data, renews the token in the background and signs out at the issuer', async () => {
    await page.goto(`${gateway.base}/users`);
    const button = page.getByRole('button', { name: 'Sign in with Test issuer' });
    await button.waitFor();
    expect(await page.getByLabel('Development token').count()).toBe(0);
    expect(await check(page, 'sign-in-oidc')).toEqual([]);
    await button.click();
    await atIssuer(page);

    // back in the console, on the page it started from, as the tenant's administrator
    await page.getByRole('heading', { level: 1, name: 'Users', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/users');
    await page.getByText(desk.t.adminUpn, { exact: true }).waitFor();
    await page.getByText(desk.helper.upn, { exact: true }).waitFor();
    expect(await check(page, 'users-oidc')).toEqual([]);

    const auth = seen.authorize[0];
    expect([auth.get('response_type'), auth.get('client_id'), auth.get('code_challenge_method'), auth.get('resource')]).toEqual(['code', CLIENT_ID, 'S256', AUDIENCE]);
    expect(auth.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(seen.grants[0]).toBe('authorization_code');
    // the access token is the issuer's (its audience the API's), and it is kept in memory only
    const token = seen.bearers[0].replace(/^Bearer /, '');
    expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())).toMatchObject({ iss: provider.issuer, aud: AUDIENCE, preferred_username: desk.t.adminUpn });
    const stored = await page.evaluate(() => JSON.stringify({ ...window.localStorage }) + JSON.stringify({ ...window.sessionStorage }) + document.cookie);
    expect(stored).not.toContain(token.split('.')[2]);

    // renewed with the refresh token before it ends; the pages go on with the new token
    expect(
      await eventually(
        async () => seen.grants,
        (g) => g.includes('refresh_token'),
        60_000,
      ),
    ).toContain('refresh_token');
    await page.getByRole('navigation', { name: 'Admin center' }).getByRole('link', { name: 'Devices', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Devices', exact: true }).waitFor();
    expect(
      await eventually(
        async () => seen.bearers.length,
        (n) => n >= 2,
        30_000,
      ),
    ).toBeGreaterThanOrEqual(2);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    // sign-out ends the session at the issuer: the next sign-in asks for the login again
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: /sign me out/ }).click();
    await button.waitFor();
    expect(new URL(page.url()).origin).toBe(gateway.base);
    await button.click();
    await page.locator('input[name="login"]').waitFor();
  }, 180_000);

  it('asks to sign in again when the token expires, in a popup, keeping what was typed', async () => {
    await page.goto(`${gateway.base}/roles`);
    await page.getByRole('button', { name: 'Sign in with Test issuer' }).click();
    await atIssuer(page);
    await page.getByRole('heading', { level: 1, name: 'Roles', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Create custom role' }).click();
    await page.getByLabel('Name').fill('Typed before expiry');

    // the issuer cannot be reached: no renewal, the token runs out
    await context.route(`${provider.issuer}/token`, (route) => route.abort());
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Your sign-in expired. Sign in again to go on.').waitFor({ timeout: (TTL_SECONDS + 30) * 1000 });
    expect(await check(page, 'sign-in-expired-oidc')).toEqual([]);

    // the issuer is back: signing in again (a popup; the issuer still knows the user) carries on
    await context.unroute(`${provider.issuer}/token`);
    const grantsBefore = seen.grants.length;
    const popup = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Sign in with Test issuer' }).click();
    await popup;
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    expect(await page.getByLabel('Name').inputValue()).toBe('Typed before expiry');
    expect(seen.grants.slice(grantsBefore)).toContain('authorization_code');
  }, 240_000);
});
