/// <reference lib="dom" />
import { parse } from 'csv-parse/sync';
import * as fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eventually, gqlOk, tokenFor } from '../e2e/support/client';
import { createDevice, createGroup, createUser, helpDesk } from '../e2e/support/fixtures';
import { accessSettled, endSession, startSession } from '../e2e/support/sessions';
import * as path from 'node:path';
import { check, consoleUrl, launch, openPage, SCREENSHOTS, signIn } from './browser';

/**
 * The admin console in a real browser (Debian's Chromium) against the whole system: an
 * administrator signs in with a development token and runs Remote Help for a tenant without a
 * query; a helper with no admin role is kept out. Every page gets a screenshot and an axe-core
 * check (no serious or critical violation).
 */

type Rec = Record<string, any>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let desk: Awaited<ReturnType<typeof helpDesk>>;

beforeAll(async () => {
  browser = await launch();
  desk = await helpDesk();
  await accessSettled(desk.t, desk.helper.id, desk.deviceId);
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  page = await context.newPage();
});
afterEach(async () => {
  await context?.close();
});

describe('an administrator', () => {
  it('signs in with a development token, switches Remote Help settings and sees them saved after a reload and in the Audit log', async () => {
    await signIn(page, desk.t.adminToken);
    await openPage(page, 'Settings');
    const chat = page.getByRole('switch', { name: 'Disable chat' });
    await chat.waitFor();
    expect(await check(page, 'settings')).toEqual([]);
    expect(await page.getByRole('switch', { name: 'Enable Remote Help' }).isChecked()).toBe(true);
    expect(await page.getByRole('switch', { name: 'Allow Remote Help to unenrolled devices' }).isVisible()).toBe(true);
    expect(await chat.isChecked()).toBe(false);
    await chat.check();
    const reason = page.getByRole('switch', { name: 'Require a reason' });
    expect(await reason.isChecked()).toBe(false);
    await reason.check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByText(/Last changed .* by /).waitFor();

    // A reload forgets the token (it is kept in memory only): sign in again, the setting is kept.
    await page.reload();
    await page.getByLabel('Development token').waitFor();
    await signIn(page, desk.t.adminToken, '/settings');
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await eventually(
      () => page.getByRole('switch', { name: 'Disable chat' }).isChecked(),
      (v) => v,
    );
    expect(await page.getByRole('switch', { name: 'Disable chat' }).isChecked()).toBe(true);
    expect(await page.getByRole('switch', { name: 'Require a reason' }).isChecked()).toBe(true);
    const api = await gqlOk<Rec>('{ tenant { remoteHelpSettings { chatDisabled requireReason } } }', {}, desk.t.adminToken);
    expect(api.tenant.remoteHelpSettings).toEqual({ chatDisabled: true, requireReason: true });
    // The other tests of this file start sessions without a reason: the requirement goes again.
    await gqlOk('mutation { updateRemoteHelpSettings(input: { requireReason: false }) { requireReason } }', {}, desk.t.adminToken);

    await openPage(page, 'Audit log');
    await page.getByLabel('Category').selectOption('Settings');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await eventually(
      async () => page.getByRole('cell', { name: /Update remote help settings/ }).count(),
      (n) => n > 0,
    );
    await page
      .getByRole('cell', { name: /chatDisabled/ })
      .first()
      .waitFor();
    expect(await check(page, 'audit-log')).toEqual([]);
    // the settings back as they were, for the other scenarios
    await gqlOk('mutation { updateRemoteHelpSettings(input: { chatDisabled: false }) { chatDisabled } }', {}, desk.t.adminToken);
  });

  it('creates a custom role with Elevation and sees full control and view implied, then assigns it', async () => {
    await signIn(page, desk.t.adminToken);
    await openPage(page, 'Roles');
    await page.getByRole('button', { name: 'Create custom role' }).click();
    await page.getByLabel('Name').fill('Tier 2 elevation');
    await page.getByLabel('Elevation').check();
    for (const implied of ['Take full control', 'View screen']) {
      const box = page.getByRole('checkbox', { name: new RegExp(`^${implied}`) });
      expect(await box.isChecked()).toBe(true);
      expect(await box.isDisabled()).toBe(true);
    }
    await page.getByLabel('Offer remote assistance').check();
    expect(await check(page, 'roles-create')).toEqual([]);
    await page.getByRole('button', { name: 'Create role' }).click();
    const row = page.getByRole('row', { name: /Tier 2 elevation/ });
    await row.waitFor();
    const apiRole = (await gqlOk<Rec>('{ roles { displayName effectivePermissions } }', {}, desk.t.adminToken)).roles.find((r: Rec) => r.displayName === 'Tier 2 elevation');
    expect([...apiRole.effectivePermissions].sort()).toEqual(['ELEVATION', 'OFFER_REMOTE_ASSISTANCE', 'TAKE_FULL_CONTROL', 'VIEW_SCREEN']);
    expect(await row.getByRole('cell').nth(1).textContent()).toMatch(/Elevation/);
    expect(await row.getByRole('cell').nth(1).textContent()).toMatch(/Take full control/);
    expect(await row.getByRole('cell').nth(1).textContent()).toMatch(/View screen/);
    expect(await check(page, 'roles')).toEqual([]);

    // an assignment of the new role to a group of helpers, over all users and devices
    const tier2 = await createUser(desk.t, { name: 'tier2' });
    const groupId = await createGroup(desk.t, 'USERS', { userIds: [tier2.id] });
    const groupName = (await gqlOk<Rec>('query ($id: ID!) { group(id: $id) { displayName } }', { id: groupId }, desk.t.adminToken)).group.displayName;
    await openPage(page, 'Assignments');
    await page.getByRole('button', { name: 'Create assignment' }).click();
    await page.getByLabel('Name').fill('Tier 2 everywhere');
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Tier 2 elevation' });
    await page.getByRole('checkbox', { name: groupName, exact: true }).check();
    await page.getByLabel('All users').check();
    await page.getByLabel('All devices').check();
    expect(await check(page, 'assignments-create')).toEqual([]);
    await page.getByRole('button', { name: 'Create assignment' }).last().click();
    const assignment = page.getByRole('row', { name: /Tier 2 everywhere/ });
    await assignment.waitFor();
    expect(await assignment.textContent()).toMatch(/All users, All devices/);
    expect(await check(page, 'assignments')).toEqual([]);
  });

  it('sees the Monitor count go 0 -> 1 -> 0 live, finds the session and exports it as CSV, and ends a live session', async () => {
    const [ht, st] = [desk.helper.token(), desk.sharer.token()];
    await signIn(page, desk.t.adminToken);
    await openPage(page, 'Monitor');
    const count = page.getByTestId('active-count');
    await eventually(
      () => count.textContent(),
      (t) => t === '0',
    );
    expect(await count.textContent()).toBe('0');
    await page.locator('.recharts-wrapper').waitFor();
    expect(await check(page, 'monitor')).toEqual([]);

    const a = await startSession(ht, st, { deviceId: desk.deviceId, reason: 'INC-42 printer' });
    await eventually(
      () => count.textContent(),
      (t) => t === '1',
      15_000,
    ); // pushed: no reload
    expect(await count.textContent()).toBe('1');
    await endSession(a.id, ht);
    await eventually(
      () => count.textContent(),
      (t) => t === '0',
      15_000,
    );
    expect(await count.textContent()).toBe('0');

    await openPage(page, 'Remote Help sessions');
    const row = page.locator(`tr[data-session-id="${a.id}"]`);
    await eventually(
      async () => {
        if ((await row.count()) === 0) await page.getByRole('button', { name: 'Apply filters' }).click();
        return row.count();
      },
      (n) => n === 1,
    );
    expect(await row.textContent()).toContain('INC-42 printer');
    expect(await check(page, 'remote-help-sessions')).toEqual([]);
    const ids = await page.locator('tr[data-session-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-session-id')));
    const reasons = await page.locator('tr[data-session-id] td:last-child').allTextContents();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^remote-help-sessions-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = parse(fs.readFileSync((await download.path())!, 'utf8'), { columns: true }) as Rec[];
    expect(csv.map((r) => r['Session ID'])).toEqual(ids);
    expect(csv.map((r) => r.Reason)).toEqual(reasons);

    // a live session ended from Live sessions
    const b = await startSession(ht, st, { deviceId: desk.deviceId, reason: 'INC-43' });
    await openPage(page, 'Live sessions');
    const live = page.getByRole('row', { name: /helper/ });
    await eventually(
      () => live.count(),
      (n) => n === 1,
      15_000,
    );
    expect(await check(page, 'live-sessions')).toEqual([]);
    await live.getByRole('button', { name: 'End session' }).click();
    await page.getByRole('button', { name: 'Yes, end session' }).click();
    await eventually(
      () => page.getByText('No session is active right now.').count(),
      (n) => n === 1,
      15_000,
    );
    const ended = await gqlOk<Rec>('query ($id: ID!) { session(id: $id) { state endReason } }', { id: b.id }, ht);
    expect(ended.session).toEqual({ state: 'ENDED', endReason: 'ADMIN_ENDED' });
  });

  it('reads users, devices, groups and explains an access decision', async () => {
    await signIn(page, desk.t.adminToken);
    for (const [name, file] of [
      ['Users', 'users'],
      ['Devices', 'devices'],
      ['Groups', 'groups'],
    ]) {
      await openPage(page, name);
      await page.locator('table, article.card').first().waitFor();
      expect(await check(page, file)).toEqual([]);
    }
    await openPage(page, 'Users');
    await page.getByLabel('Search users').fill('sharer');
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually(
      () => page.getByRole('row').count(),
      (n) => n === 2,
    ); // header + the sharer
    await openPage(page, 'Explain access');
    const helperName = (await gqlOk<Rec>('query ($id: ID!) { user(id: $id) { profile { displayName } userPrincipalName } }', { id: desk.helper.id }, desk.t.adminToken)).user;
    await page.getByLabel('Helper').selectOption({ label: `${helperName.profile.displayName} (${helperName.userPrincipalName})` });
    await page.getByLabel('Device').selectOption({ index: 1 });
    await page.getByLabel('Mode').selectOption('UNATTENDED');
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.getByText('Not allowed:').waitFor();
    expect(await page.getByText(/Unattended control is only for dedicated devices/).count()).toBe(1);
    expect(await check(page, 'explain-access')).toEqual([]);
  });

  it('edits a user and a device (upsertUser / upsertDevice with their id), keeping what the form does not show', async () => {
    const user = await createUser(desk.t, { name: 'editme', jobTitle: 'Engineer' });
    const deviceId = await createDevice(desk.t, { displayName: `EDIT-${Date.now()}`, primaryUserId: user.id, compliance: 'COMPLIANT' });
    await signIn(page, desk.t.adminToken);
    await openPage(page, 'Users');
    await page.getByLabel('Search users').fill(user.upn);
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually(
      () => page.getByRole('row').count(),
      (n) => n === 2,
    );
    await page.getByRole('button', { name: /^Edit / }).click();
    const userForm = page.getByRole('form', { name: /^Edit / });
    expect(await userForm.getByLabel('Job title').inputValue()).toBe('Engineer');
    await userForm.getByLabel('Job title').fill('Help desk lead');
    expect(await check(page, 'user-edit')).toEqual([]);
    await userForm.getByRole('button', { name: 'Save user' }).click();
    await userForm.waitFor({ state: 'detached' });
    await page.getByText('Help desk lead').waitFor();
    const saved = await gqlOk<Rec>('query ($id: ID!) { user(id: $id) { userPrincipalName profile { jobTitle givenName surname companyName } } }', { id: user.id }, desk.t.adminToken);
    expect(saved.user).toEqual({ userPrincipalName: user.upn, profile: { jobTitle: 'Help desk lead', givenName: expect.any(String), surname: 'Example', companyName: 'Contoso' } });

    await openPage(page, 'Devices');
    const { device } = await gqlOk<Rec>('query ($id: ID!) { device(id: $id) { displayName } }', { id: deviceId }, desk.t.adminToken);
    await page.getByLabel('Search devices').fill(device.displayName);
    await page.getByRole('button', { name: 'Search' }).click();
    await eventually(
      () => page.getByRole('row').count(),
      (n) => n === 2,
    );
    await page.getByRole('button', { name: `Edit ${device.displayName}` }).click();
    const deviceForm = page.getByRole('form', { name: `Edit ${device.displayName}` });
    await deviceForm.getByLabel('Compliance').selectOption('NONCOMPLIANT');
    await deviceForm.getByRole('button', { name: 'Save device' }).click();
    await deviceForm.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'Noncompliant' }).waitFor();
    const edited = await gqlOk<Rec>('query ($id: ID!) { device(id: $id) { compliance manufacturer primaryUser { id } } }', { id: deviceId }, desk.t.adminToken);
    expect(edited.device).toEqual({ compliance: 'NONCOMPLIANT', manufacturer: 'Contoso', primaryUser: { id: user.id } });
  });

  it('opens the bundled GraphQL explorer, which runs a query with the console token and loads nothing from outside the gateway', async () => {
    const outside: string[] = [];
    const origin = new URL(consoleUrl()).origin;
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== origin && u.origin.replace(/^ws/, 'http') !== origin) outside.push(r.url());
    });
    await signIn(page, desk.t.adminToken);
    await page.getByRole('link', { name: 'GraphQL explorer' }).click();
    await page.locator('.graphiql-container').waitFor();
    // the answer, as the signed-in administrator (the result editor wraps long lines); Execute is
    // pressed again while there is none (the editor may still be starting on a busy machine)
    const result = await eventually(
      async () => {
        const text = (await page.locator('.result-window').textContent()) ?? '';
        if (!text.includes('"data"')) await page.getByRole('button', { name: /Execute query/ }).click();
        return text;
      },
      (t) => t.includes('"TERMINATE_SESSIONS"'),
      60_000,
    );
    expect(result).toContain('"activeSessionCount"');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'graphql-explorer.png') });
    expect(outside).toEqual([]);
  });

  it('works at a phone width without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, desk.t.adminToken);
    await page.getByRole('button', { name: 'Menu' }).click();
    await openPage(page, 'Remote Help sessions');
    await page.locator('table').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await check(page, 'phone-remote-help-sessions')).toEqual([]);
  });
});

describe('refusals', () => {
  it('keeps a helper without admin permissions out of every admin page', async () => {
    await signIn(page, desk.helper.token());
    await page.getByRole('heading', { name: 'You have no administrative role' }).waitFor();
    // no admin page in the navigation (the GraphQL explorer is for every signed-in user: the API decides)
    expect(await page.getByRole('navigation', { name: 'Admin center' }).getByRole('link').allTextContents()).toEqual(['GraphQL explorer']);
    expect(await check(page, 'no-admin-role')).toEqual([]);
    for (const path of ['/settings', '/roles', '/monitor', '/audit']) {
      await page.evaluate((p) => {
        window.history.pushState({}, '', p);
        window.dispatchEvent(new PopStateEvent('popstate'));
      }, path);
      await page.getByRole('heading', { name: 'You have no administrative role' }).waitFor();
    }
  });

  it('asks to sign in again when the token expires, keeping what was typed; refuses a malformed token in place', async () => {
    const token = tokenFor(desk.t.tenantId, { user: desk.t.adminUpn }, 5);
    await signIn(page, token);
    await openPage(page, 'Roles');
    await page.getByRole('button', { name: 'Create custom role' }).click();
    await page.getByLabel('Name').fill('Typed before expiry');
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Your sign-in expired. Sign in again to go on.').waitFor({ timeout: 15_000 });
    expect(await check(page, 'sign-in-expired')).toEqual([]);
    await dialog.getByLabel('Development token').fill('not a token');
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.getByText(/Paste a whole token/).waitFor();
    expect(await dialog.getByLabel('Development token').inputValue()).toBe('not a token');
    await dialog.getByLabel('Development token').fill(desk.t.adminToken);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByLabel('Name').inputValue()).toBe('Typed before expiry');
  });

  it('shows a refused mutation as a readable message and keeps the input', async () => {
    await signIn(page, desk.t.adminToken);
    await openPage(page, 'Roles');
    await page.getByRole('button', { name: 'Create custom role' }).click();
    await page.getByLabel('Name').fill('Help Desk Operator'); // the built-in role's name
    await page.getByLabel('View screen').check();
    await page.getByRole('button', { name: 'Create role' }).click();
    await page.getByRole('alert').first().waitFor();
    expect(await page.getByRole('alert').first().textContent()).toMatch(/^(Conflict|Check the input|Not allowed): /);
    expect(await page.getByLabel('Name').inputValue()).toBe('Help Desk Operator');
    expect(await check(page, 'roles-refused')).toEqual([]);
  });
});
