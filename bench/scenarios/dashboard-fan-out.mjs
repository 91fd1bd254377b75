// Scenario 5: dashboard fan-out. 1,000, 5,000 and 10,000 graphql-ws clients (in separate
// processes, bench/workers/ws-clients.mjs) on one gateway, all subscribed to one tenant's
// `activeSessionCount`, spread over 1,000 report readers of the tenant (bench/lib/report-readers.mjs),
// each client with a token of its own (a reader signed in on several dashboards has several).
// Per size: the gateway's resident memory before connecting and after every client is subscribed
// (per connection, in KB), then real count changes (a help-desk session accepted: count up;
// ended: count down), each measured from the moment the mutation returns to each client's
// receipt of the new count. The target is judged on the pooled p95 over every change and every
// client (a client that never receives a change counts at the 30 s it was waited for); per-change
// p50/p95 medians, the max and the time until the last client has it are reported beside it.
// Each size runs on a freshly restarted gateway. Sizes: RH_BENCH_FANOUT_SIZES=1000,5000 overrides.
import { performance } from 'node:perf_hooks';
import { median, rssMiB } from '../lib/load.mjs';
import { openClientPool, quantile } from '../lib/fan-out-clients.mjs';
import { reportReaders } from '../lib/report-readers.mjs';

const COUNT = 'subscription { activeSessionCount { tenantId count at } }';
const SESSION = 'id state';
const wallNow = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (n) => Math.round(n * 10) / 10;

export default {
  name: 'dashboard-fan-out',
  description: "graphql-ws clients (many users, a token each) subscribed to one tenant's activeSessionCount: time until every client has a change (pooled p95), gateway memory per connection",
  async run(ctx) {
    const { quick } = ctx;
    const sizes = process.env.RH_BENCH_FANOUT_SIZES ? process.env.RH_BENCH_FANOUT_SIZES.split(',').map(Number) : quick ? [20] : [1000, 5000, 10000];
    const changes = quick ? 2 : 10; // alternately up (accept) and down (end)
    const wsUrl = ctx.run.system.gatewayUrl.replace(/^http/, 'ws');
    const desk = await helpDesk(ctx);
    // The dashboards' users, and a token of its own for every client of the largest size.
    const users = quick ? 4 : 1000;
    const largest = Math.max(...sizes);
    const readers = await reportReaders(ctx, desk.t, Math.min(users, largest), { tokensPerReader: Math.ceil(largest / Math.min(users, largest)) });
    // Client i: reader i % users, its (i / users)-th token.
    const tokens = Array.from({ length: largest }, (_, i) => readers[i % readers.length].tokens[Math.floor(i / readers.length)]);

    const rows = [];
    for (const clients of sizes) {
      // A fresh gateway per size (same port, same subgraphs), warmed by one subscriber: memory
      // freed by an earlier size or scenario would otherwise be reused and hide the growth.
      if (!quick) await restartGateway(ctx, desk.t.adminToken);
      const gatewayPid = ctx.run.system.pidOf('gateway');
      const rssBefore = await settledRss(gatewayPid, quick ? 2 : 4);
      const pool = await openClientPool({ url: wsUrl, tokens, query: COUNT, clients, perWorker: 2500, concurrency: quick ? 10 : 50 });
      try {
        if (pool.failed) throw new Error(`${pool.failed} of ${clients} clients could not subscribe (3 attempts): ${JSON.stringify(pool.errors)}`);
        if (pool.retries) process.stderr.write(`dashboard-fan-out: ${pool.retries} subscriptions of ${clients} were refused and tried again: ${JSON.stringify(pool.errors)}\n`);
        await sleep(quick ? 500 : 3000); // let the connection storm's garbage be collected
        const rssAfter = await settledRss(gatewayPid, quick ? 2 : 5);
        let count = await activeCount(ctx, desk.t.adminToken);
        let open; // the session that counts as active, ended by the next "down" change
        const perChange = [];
        const all = [];
        let missed = 0;
        const waitedMs = 30_000; // how long measureChange waits for every client
        const warmUp = quick ? 0 : 2; // one unmeasured up/down pair warms the fan-out path first
        for (let i = -warmUp; i < changes; i++) {
          let delays;
          if (!open) {
            const s = await desk.startUntilConsent();
            delays = await pool.measureChange(
              count + 1,
              async () => {
                await desk.accept(s.id);
                return wallNow();
              },
              { timeoutMs: waitedMs },
            );
            open = s;
            count++;
          } else {
            const s = open;
            delays = await pool.measureChange(
              count - 1,
              async () => {
                await desk.end(s.id);
                return wallNow();
              },
              { timeoutMs: waitedMs },
            );
            open = undefined;
            count--;
          }
          if (i < 0) continue;
          const got = delays.filter((d) => d !== null);
          missed += delays.length - got.length;
          // Pooled: every client of every change; one that never got it at (at least) the time waited.
          all.push(...delays.map((d) => d ?? waitedMs));
          if (got.length) perChange.push({ p50: quantile(got, 0.5), p95: quantile(got, 0.95), first: Math.min(...got), last: Math.max(...got), spread: Math.max(...got) - Math.min(...got) });
        }
        if (open) await desk.end(open.id);
        rows.push({
          scenario: 'dashboard-fan-out',
          clients,
          users: Math.min(readers.length, clients),
          tokens: clients,
          workers: pool.workers,
          subscribeSeconds: round(pool.openSeconds),
          subscribeRetries: pool.retries,
          changes,
          missed,
          // Pooled over every change and every client (the target), and, beside it, per change
          // over its clients, the median over the changes.
          p50: round(quantile(all, 0.5)),
          p95: round(quantile(all, 0.95)),
          p99: round(quantile(all, 0.99)),
          max: round(Math.max(...all)),
          p50MedianOfChanges: round(median(perChange.map((c) => c.p50))),
          p95MedianOfChanges: round(median(perChange.map((c) => c.p95))),
          // first client: the pipeline (session-service, Kafka, reporting, Kafka, gateway); spread: the fan-out
          firstClientMedian: round(median(perChange.map((c) => c.first))),
          lastClientMedian: round(median(perChange.map((c) => c.last))),
          spreadMedian: round(median(perChange.map((c) => c.spread))),
          rssBeforeMiB: round(rssBefore),
          rssAfterMiB: round(rssAfter),
          kbPerConnection: round(((rssAfter - rssBefore) * 1024) / clients),
        });
      } finally {
        await pool.close();
      }
      await sleep(quick ? 200 : 2000);
    }
    const last = rows[rows.length - 1];
    const at = `${last.clients.toLocaleString('en-US')} clients of ${last.users.toLocaleString('en-US')} users`;
    return {
      rows,
      ratios: rows.length > 1 ? { p95LargestVsSmallest: round(last.p95 / Math.max(rows[0].p95, 1)) } : {},
      targets: {
        [`${at}: every client has each change (none missed)`]: last.missed === 0,
        [`${at}: pooled p95 (every change, every client) at most 500 ms`]: last.p95 <= 500,
        [`${at}: at most 20 KB per connection`]: last.kbPerConnection <= 20,
      },
    };
  },
};

async function restartGateway(ctx, token) {
  const { system } = ctx.run;
  await system.stopOne('gateway');
  await system.start('gateway');
  const ready = `${system.urlOf('gateway')}/health/ready`;
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(ready).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) throw new Error('the restarted gateway is not ready (event feed) within 60 s');
    await sleep(200);
  }
  const pool = await openClientPool({ url: system.gatewayUrl.replace(/^http/, 'ws'), tokens: [token], query: COUNT, clients: 1 });
  await pool.close();
  await activeCount(ctx, token);
}

/** The median of a few gateway RSS samples, 1 s apart. */
async function settledRss(pid, samples) {
  const list = [];
  for (let i = 0; i < samples; i++) {
    if (i) await sleep(1000);
    list.push(await rssMiB(pid));
  }
  return median(list);
}

async function ok(ctx, query, variables, token) {
  const r = await ctx.gql(query, variables, token);
  if (r.errors?.length) throw new Error(`${query.slice(0, 60)}...: ${JSON.stringify(r.errors)}`);
  return r.data;
}

async function activeCount(ctx, token) {
  return (await ok(ctx, '{ tenant { activeSessionCount } }', {}, token)).tenant.activeSessionCount;
}

/**
 * A Help Desk set up through the API (as tests/e2e/support/fixtures.ts does): Remote Help on, a
 * licensed helper in a group holding Help Desk Operator over all users and devices, a licensed
 * sharer and their Windows PC. Returns the session steps the scenario makes changes with.
 */
async function helpDesk(ctx) {
  const t = await ctx.newTenant();
  const admin = t.adminToken;
  await ok(ctx, 'mutation ($input: UpdateRemoteHelpSettingsInput!) { updateRemoteHelpSettings(input: $input) { remoteHelpEnabled } }', { input: { remoteHelpEnabled: true } }, admin);
  const user = async (name) => {
    const upn = `${name}@${t.domain}`;
    const { upsertUser } = await ok(
      ctx,
      'mutation ($input: UpsertUserInput!) { upsertUser(input: $input) { id } }',
      { input: { userPrincipalName: upn, displayName: `${name} Example`, givenName: name, surname: 'Example', jobTitle: 'Engineer', companyName: 'Contoso' } },
      admin,
    );
    await ok(
      ctx,
      'mutation ($input: AssignLicenseInput!) { assignLicense(input: $input) { id } }',
      { input: { userId: upsertUser.id, kind: 'REMOTE_HELP_ADDON', activeFrom: new Date(Date.now() - 60_000).toISOString() } },
      admin,
    );
    return { id: upsertUser.id, upn };
  };
  const helper = await user('helper');
  const sharer = await user('sharer');
  const { upsertDevice } = await ok(
    ctx,
    'mutation ($input: UpsertDeviceInput!) { upsertDevice(input: $input) { id } }',
    { input: { displayName: 'PC-1', platform: 'WINDOWS', osVersion: '10.0.22631', manufacturer: 'Contoso', enrolled: true, entraRegistered: true, compliance: 'COMPLIANT', primaryUserId: sharer.id } },
    admin,
  );
  const deviceId = upsertDevice.id;
  const { createGroup } = await ok(ctx, 'mutation ($input: CreateGroupInput!) { createGroup(input: $input) { id } }', { input: { displayName: 'helpers', memberKind: 'USERS' } }, admin);
  await ok(ctx, 'mutation ($g: ID!, $u: [ID!], $d: [ID!]) { addGroupMembers(groupId: $g, userIds: $u, deviceIds: $d) { id } }', { g: createGroup.id, u: [helper.id], d: [] }, admin);
  const { roles } = await ok(ctx, '{ roles { id displayName } }', {}, admin);
  const role = roles.find((r) => r.displayName === 'Help Desk Operator');
  await ok(
    ctx,
    'mutation ($input: CreateRoleAssignmentInput!) { createRoleAssignment(input: $input) { id } }',
    { input: { displayName: 'help desk', roleId: role.id, adminGroupIds: [createGroup.id], scopeGroupIds: [], scopeAllUsers: true, scopeAllDevices: true } },
    admin,
  );
  const ht = ctx.rh(['token', '--tenant', t.tenantId, '--user', helper.upn, '--ttl', '7200']);
  const st = ctx.rh(['token', '--tenant', t.tenantId, '--user', sharer.upn, '--ttl', '7200']);
  // rbac-service learns the directory from events: wait until its decision allows the helper.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await ctx.gql('query ($h: ID!, $d: ID!, $m: SessionMode!) { checkRemoteHelpAccess(helperId: $h, deviceId: $d, mode: $m) { allowed reasons } }', { h: helper.id, d: deviceId, m: 'VIEW_ONLY' }, admin);
    if (r.data?.checkRemoteHelpAccess?.allowed) break;
    if (Date.now() > deadline) throw new Error(`the helper is not allowed: ${JSON.stringify(r)}`);
    await sleep(200);
  }
  return {
    t,
    /** Request and join: the session waits for the sharer's consent (not active yet). */
    async startUntilConsent() {
      const { requestSession } = await ok(
        ctx,
        `mutation ($input: RequestSessionInput!) { requestSession(input: $input) { session { ${SESSION} securityCode } decision { allowed reasons } } }`,
        { input: { deviceId, mode: 'VIEW_ONLY', reason: 'bench fan-out' } },
        ht,
      );
      if (!requestSession.session) throw new Error(`requestSession refused: ${JSON.stringify(requestSession.decision)}`);
      const { joinSession } = await ok(ctx, `mutation ($code: String!) { joinSession(securityCode: $code) { ${SESSION} } }`, { code: requestSession.session.securityCode }, st);
      if (joinSession.state !== 'PENDING_CONSENT') throw new Error(`joined session is ${joinSession.state}`);
      return joinSession;
    },
    async accept(id) {
      const { respondToSession } = await ok(ctx, `mutation ($id: ID!, $accept: Boolean!) { respondToSession(sessionId: $id, accept: $accept) { ${SESSION} } }`, { id, accept: true }, st);
      if (respondToSession.state !== 'ACTIVE') throw new Error(`accepted session is ${respondToSession.state}`);
    },
    async end(id) {
      await ok(ctx, `mutation ($id: ID!) { endSession(sessionId: $id) { ${SESSION} } }`, { id }, ht);
    },
  };
}
