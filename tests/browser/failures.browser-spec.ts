/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { gqlOk } from '../e2e/support/client';
import { helpDesk } from '../e2e/support/fixtures';
import { startGateway, type ExtraGateway } from '../e2e/support/oidc-processes';
import { accessSettled } from '../e2e/support/sessions';
import { check, launch, openPage, signIn } from './browser';

/**
 * The console when things go wrong, in a real browser: its gateway (a gateway process of its
 * own over the running services, stopped and started again on the same port) stops answering;
 * a mutation is refused by the API.
 */

let browser: Browser;
let context: BrowserContext;
let page: Page;
let desk: Awaited<ReturnType<typeof helpDesk>>;
let gateway: ExtraGateway;
let port: number;

beforeAll(async () => {
  browser = await launch();
  desk = await helpDesk();
  await accessSettled(desk.t, desk.helper.id, desk.deviceId);
  gateway = await startGateway({});
  port = Number(new URL(gateway.base).port);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
});
beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
});
afterEach(async () => {
  await context?.close();
});

/** Stops the console's gateway, runs `whileDown`, and starts it again on the same port. */
async function withGatewayDown(whileDown: () => Promise<void>): Promise<void> {
  await gateway.stop();
  try {
    await whileDown();
  } finally {
    gateway = await startGateway({}, { port });
  }
}

/** The message an input points to (aria-describedby): what is shown next to the field. */
const descriptionOf = (p: Page, label: string) =>
  p.getByLabel(label, { exact: true }).evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ')
      .trim(),
  );

describe('failures', () => {
  it('a gateway that does not answer: a clear message next to the form, what was typed kept, and saved once it answers', async () => {
    await signIn(page, desk.t.adminToken, `${gateway.base}/roles`);
    await openPage(page, 'Roles');
    await page.getByRole('button', { name: 'Create custom role' }).click();
    const name = `Made while down ${Date.now()}`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('View screen').check();
    await withGatewayDown(async () => {
      await page.getByRole('button', { name: 'Create role' }).click();
      await page.getByRole('alert').filter({ hasText: 'does not answer' }).waitFor();
      expect(await descriptionOf(page, 'Name')).toBe('The Remote Help service does not answer. Check your connection; your input is kept.');
      expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(name);
      expect(await page.getByLabel('View screen').isChecked()).toBe(true);
      expect(await check(page, 'gateway-down')).toEqual([]);
    });
    // the same form, sent again, goes through
    await page.getByRole('button', { name: 'Create role' }).click();
    await page.getByRole('row', { name: new RegExp(`^${name}`) }).waitFor();
    const { roles } = await gqlOk<{ roles: { displayName: string; permissions: string[] }[] }>('{ roles { displayName permissions } }', {}, desk.t.adminToken);
    expect(roles.find((r) => r.displayName === name)?.permissions).toEqual(['VIEW_SCREEN']);
  });

  it('a mutation refused with BAD_USER_INPUT: the server message next to the field, the input kept', async () => {
    await signIn(page, desk.t.adminToken, `${gateway.base}/users`);
    await openPage(page, 'Users');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByLabel('User principal name').fill('not an address');
    await page.getByLabel('Display name').fill('Typed Name');
    await page.getByRole('button', { name: 'Save user' }).click();
    await page.getByRole('alert').filter({ hasText: 'Check the input:' }).waitFor();
    expect(await descriptionOf(page, 'User principal name')).toMatch(/^Check the input: "not an address" is not a user principal name/);
    expect(await page.getByLabel('User principal name').inputValue()).toBe('not an address');
    expect(await page.getByLabel('Display name').inputValue()).toBe('Typed Name');
    expect(await check(page, 'users-refused')).toEqual([]);
  });
});
