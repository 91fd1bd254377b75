/// <reference lib="dom" />
import * as net from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eventually, gqlOk } from '../e2e/support/client';
import { assignRole, createGroup, createUser, helpDesk } from '../e2e/support/fixtures';
import { startGateway, type ExtraGateway } from '../e2e/support/oidc-processes';
import { scrapeValue } from '../e2e/support/metrics';
import { accessSettled, endSession, startSession } from '../e2e/support/sessions';
import { subscribe, wsClient } from '../e2e/support/ws';
import { check, launch, openPage, signIn } from './browser';

/**
 * The console when things go wrong, in a real browser: its gateway (a gateway process of its
 * own over the running services, stopped and started again on the same port) stops answering;
 * a mutation is refused by the API; the live count's subscription drops with its gateway.
 */

let browser: Browser;
let context: BrowserContext;
let page: Page;
let desk: Awaited<ReturnType<typeof helpDesk>>;
let gateway: ExtraGateway;
let port: number;
/** A relay to Kafka that the gateway may be using (closed after it). */
let broker: Awaited<ReturnType<typeof heldBroker>> | undefined;

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
  await broker?.close();
});
beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
});
afterEach(async () => {
  await context?.close();
});

/** Stops the console's gateway, runs `whileDown`, and starts it again on the same port (with `env` on top). */
async function withGatewayDown(whileDown: () => Promise<void>, env: Record<string, string> = {}): Promise<void> {
  await gateway.stop();
  try {
    await whileDown();
  } finally {
    gateway = await startGateway(env, { port });
  }
}

/**
 * A TCP relay to the run's Kafka broker that holds every connection unanswered until `release()`:
 * a gateway given it as its bootstrap broker starts and serves while its event feed cannot join
 * its group yet (as on a broker slow to answer, or one whose group joins wait for more members).
 */
async function heldBroker(target: string): Promise<{ address: string; release(): void; close(): Promise<void> }> {
  const [host, targetPort] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const waiting: net.Socket[] = [];
  const sockets = new Set<net.Socket>();
  let released = false;
  const relay = (client: net.Socket) => {
    const upstream = net.connect(targetPort, host);
    sockets.add(upstream);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ]) {
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
      a.pipe(b);
    }
    client.resume();
  };
  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    if (released) relay(client);
    else waiting.push(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    release() {
      released = true;
      for (const c of waiting.splice(0)) relay(c);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
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

  it('a mutation refused with FORBIDDEN (the permission removed mid-session): a readable message next to the form, the input kept', async () => {
    // A role manager by a custom role; an administrator takes MANAGE_ROLES away while the form is open.
    const { createRole } = await gqlOk<{ createRole: { id: string } }>(
      'mutation ($input: CreateRoleInput!) { createRole(input: $input) { id } }',
      { input: { displayName: `Role managers ${Date.now()}`, permissions: ['VIEW_SCREEN'], adminPermissions: ['MANAGE_ROLES', 'READ_REPORTS'] } },
      desk.t.adminToken,
    );
    const manager = await createUser(desk.t, { name: 'manager', licensed: false });
    await assignRole(desk.t, { roleId: createRole.id, adminGroupIds: [await createGroup(desk.t, 'USERS', { userIds: [manager.id] })], scopeAllUsers: true });
    const token = manager.token();
    const permissions = () => gqlOk<{ me: { effectiveAdminPermissions: string[] } }>('{ me { effectiveAdminPermissions } }', {}, token).then((r) => r.me.effectiveAdminPermissions);
    expect(await eventually(permissions, (p) => p.includes('MANAGE_ROLES'), 20_000)).toContain('MANAGE_ROLES');

    await signIn(page, token, `${gateway.base}/roles`);
    await openPage(page, 'Roles');
    await page.getByRole('button', { name: 'Create custom role' }).click();
    const name = `Refused ${Date.now()}`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('View screen').check();
    await gqlOk('mutation ($id: ID!, $input: UpdateRoleInput!) { updateRole(id: $id, input: $input) { id } }', { id: createRole.id, input: { adminPermissions: ['READ_REPORTS'] } }, desk.t.adminToken);
    expect(await eventually(permissions, (p) => !p.includes('MANAGE_ROLES'), 20_000)).not.toContain('MANAGE_ROLES');

    await page.getByRole('button', { name: 'Create role' }).click();
    await page.getByRole('alert').filter({ hasText: 'Not allowed' }).waitFor();
    expect(await descriptionOf(page, 'Name')).toBe(
      'Not allowed: you need the MANAGE_ROLES permission for this. Your administrative permissions may have changed: ask an administrator of your tenant. Your input is kept.',
    );
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(name);
    expect(await page.getByLabel('View screen').isChecked()).toBe(true);
    expect(await page.getByRole('heading', { level: 1, name: 'Roles' }).isVisible()).toBe(true);
    expect(await check(page, 'roles-forbidden')).toEqual([]);
    const { roles } = await gqlOk<{ roles: { displayName: string }[] }>('{ roles { displayName } }', {}, desk.t.adminToken);
    expect(roles.map((r) => r.displayName)).not.toContain(name);
  });

  it('the live count after its gateway restarts: the subscription reconnects and the count follows sessions started and ended, without a reload', async () => {
    const [ht, st] = [desk.helper.token(), desk.sharer.token()];
    await signIn(page, desk.t.adminToken, `${gateway.base}/monitor`);
    await openPage(page, 'Monitor');
    const count = page.getByTestId('active-count');
    const status = page.getByTestId('live-status');
    await eventually(
      async () => [await count.textContent(), await status.textContent()],
      ([c, s]) => c === '0' && s === 'live',
    );
    expect(await count.textContent()).toBe('0');

    // Stopped and started again: the page says so, reconnects by itself, and pushes resume.
    await withGatewayDown(async () => {
      await status.filter({ hasText: 'Live updates interrupted; reconnecting…' }).waitFor();
    });
    await status.filter({ hasText: /^live$/ }).waitFor({ timeout: 30_000 });
    const a = await startSession(ht, st, { deviceId: desk.deviceId, reason: 'after the restart' });
    await eventually(
      () => count.textContent(),
      (t) => t === '1',
      15_000,
    );
    expect(await count.textContent()).toBe('1');
    await endSession(a.id, ht);
    await eventually(
      () => count.textContent(),
      (t) => t === '0',
      15_000,
    );
    expect(await count.textContent()).toBe('0');

    // Started again while its Kafka broker is slow to answer: the gateway serves the console
    // before its event feed has joined, and a session starts meanwhile. Its count is still pushed.
    const held = (broker = await heldBroker(process.env.RH_E2E_KAFKA_BROKERS!.split(',')[0]));
    const watch = wsClient(desk.t.adminToken);
    try {
      await withGatewayDown(
        async () => {
          await status.filter({ hasText: 'Live updates interrupted; reconnecting…' }).waitFor();
        },
        { KAFKA_BROKERS: held.address },
      );
      await status.filter({ hasText: /^live$/ }).waitFor({ timeout: 30_000 });
      // The page's count subscription is served (with the count as it is now) while the feed has not joined.
      await eventually(
        () => scrapeValue(gateway.metricsUrl, 'remote_help_graphql_subscriptions', { subscription: 'activeSessionCount' }),
        (n) => n >= 1,
        5_000,
      );
      // The change goes through Kafka (another gateway's dashboard sees it) while this gateway's feed still waits.
      const counts = subscribe<{ activeSessionCount: { count: number } }>(watch, 'subscription { activeSessionCount { count } }');
      expect((await counts.next(15_000)).data?.activeSessionCount.count).toBe(0);
      const c = await startSession(ht, st, { deviceId: desk.deviceId, reason: 'while the feed joins' });
      expect((await counts.next(15_000)).data?.activeSessionCount.count).toBe(1);
      held.release();
      await eventually(
        () => count.textContent(),
        (t) => t === '1',
        15_000,
      );
      expect(await count.textContent()).toBe('1');
      await endSession(c.id, ht);
      await eventually(
        () => count.textContent(),
        (t) => t === '0',
        15_000,
      );
      expect(await count.textContent()).toBe('0');
    } finally {
      held.release();
      await watch.dispose();
    }

    // A session that starts while the gateway is away: the count catches up when it is back.
    let whileAway = '';
    await withGatewayDown(async () => {
      await status.filter({ hasText: 'Live updates interrupted; reconnecting…' }).waitFor();
      whileAway = (await startSession(ht, st, { deviceId: desk.deviceId, reason: 'while away' })).id;
    });
    await eventually(
      () => count.textContent(),
      (t) => t === '1',
      30_000,
    );
    expect(await count.textContent()).toBe('1');
    await endSession(whileAway, ht);
    await eventually(
      () => count.textContent(),
      (t) => t === '0',
      15_000,
    );
    expect(await count.textContent()).toBe('0');
    expect(await check(page, 'monitor-reconnected')).toEqual([]);
  });
});
