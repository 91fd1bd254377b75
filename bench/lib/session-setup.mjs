// A help desk for the session scenarios, set up through the public API (the gateway) as an
// administrator would: Remote Help on, N licensed helpers in a helpers group holding the built-in
// Help Desk Operator role over a scope group of the sharers and their devices, N licensed sharers
// each with an enrolled, compliant Windows PC (primary user = the sharer), and a token for
// everyone. Tokens are signed by the local development issuer exactly as `rh token` does, but in
// process (hundreds of `rh token` processes would take minutes).
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { ROOT } from '../../scripts/lib/bootstrap.mjs';
import kafkajs from '../../scripts/lib/kafkajs.mjs';

const require = createRequire(import.meta.url);

export const SESSION_QUERIES = {
  request: 'mutation ($input: RequestSessionInput!) { requestSession(input: $input) { session { id state securityCode } decision { allowed reasons } } }',
  join: 'mutation ($code: String!) { joinSession(securityCode: $code) { id state } }',
  accept: 'mutation ($id: ID!) { respondToSession(sessionId: $id, accept: true) { id state } }',
  end: 'mutation ($id: ID!) { endSession(sessionId: $id) { id state } }',
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` over `items` with at most `limit` calls in flight. */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

async function ok(ctx, query, variables, token) {
  const r = await ctx.gql(query, variables, token);
  if (r.errors?.length || !r.data) throw new Error(`${query.slice(0, 60)}...: ${JSON.stringify(r.errors ?? r)}`);
  return r.data;
}

/** Signs a user token with the development issuer, as `rh token --tenant T --user UPN --ttl S` does. */
export function tokenSigner(ctx) {
  const auth = require(path.join(ROOT, 'libs/auth/dist/index.js'));
  return (tenantId, upn, ttlSeconds = 7200) =>
    auth.signDevToken({
      keysDir: path.join(ctx.run.dataDir, 'keys'),
      tenantId,
      upn,
      ttlSeconds,
      audience: process.env.RH_DEV_AUDIENCE || auth.DEFAULT_AUDIENCE,
      issuer: process.env.RH_DEV_ISSUER || auth.DEV_ISSUER,
    });
}

/**
 * Returns { tenant, pairs: [{ helperId, helperToken, sharerId, sharerToken, deviceId }] } once
 * rbac-service (which learns the directory from events) allows every helper over its device.
 */
export async function setUpHelpDesk(ctx, pairCount, { concurrency = 8 } = {}) {
  const t = await ctx.newTenant();
  const sign = tokenSigner(ctx);
  // The CLI's token for the administrator; the same signer for the others.
  const admin = t.adminToken;
  await ok(ctx, 'mutation ($input: UpdateRemoteHelpSettingsInput!) { updateRemoteHelpSettings(input: $input) { remoteHelpEnabled } }', { input: { remoteHelpEnabled: true } }, admin);
  const activeFrom = new Date(Date.now() - 60_000).toISOString();
  const user = async (local, jobTitle) => {
    const upn = `${local}@${t.domain}`;
    const { upsertUser } = await ok(
      ctx,
      'mutation ($input: UpsertUserInput!) { upsertUser(input: $input) { id } }',
      { input: { userPrincipalName: upn, displayName: `${local} Example`, givenName: local, surname: 'Example', jobTitle, companyName: 'Contoso' } },
      admin,
    );
    await ok(ctx, 'mutation ($input: AssignLicenseInput!) { assignLicense(input: $input) { id } }', { input: { userId: upsertUser.id, kind: 'REMOTE_HELP_ADDON', activeFrom } }, admin);
    return { id: upsertUser.id, upn, token: await sign(t.tenantId, upn) };
  };
  const pairs = await mapLimit(
    Array.from({ length: pairCount }, (_, i) => i),
    concurrency,
    async (i) => {
      const helper = await user(`helper${i}`, 'Help desk');
      const sharer = await user(`sharer${i}`, 'Engineer');
      const { upsertDevice } = await ok(
        ctx,
        'mutation ($input: UpsertDeviceInput!) { upsertDevice(input: $input) { id } }',
        { input: { displayName: `PC-${i}`, platform: 'WINDOWS', osVersion: '10.0.22631', manufacturer: 'Contoso', enrolled: true, entraRegistered: true, compliance: 'COMPLIANT', primaryUserId: sharer.id } },
        admin,
      );
      return { helperId: helper.id, helperToken: helper.token, sharerId: sharer.id, sharerToken: sharer.token, deviceId: upsertDevice.id };
    },
  );

  const group = async (memberKind, userIds, deviceIds) => {
    const { createGroup } = await ok(ctx, 'mutation ($input: CreateGroupInput!) { createGroup(input: $input) { id } }', { input: { displayName: `bench-${memberKind.toLowerCase()}-${Date.now()}`, memberKind } }, admin);
    for (let i = 0; i < Math.max(userIds.length, deviceIds.length); i += 50) {
      await ok(
        ctx,
        'mutation ($g: ID!, $u: [ID!], $d: [ID!]) { addGroupMembers(groupId: $g, userIds: $u, deviceIds: $d) { id } }',
        { g: createGroup.id, u: userIds.slice(i, i + 50), d: deviceIds.slice(i, i + 50) },
        admin,
      );
    }
    return createGroup.id;
  };
  const helpers = await group(
    'USERS',
    pairs.map((p) => p.helperId),
    [],
  );
  const scope = await group(
    'MIXED',
    pairs.map((p) => p.sharerId),
    pairs.map((p) => p.deviceId),
  );
  const { roles } = await ok(ctx, '{ roles { id displayName } }', {}, admin);
  const role = roles.find((r) => r.displayName === 'Help Desk Operator');
  if (!role) throw new Error('no built-in Help Desk Operator role');
  // rbac-service learns the new groups from events: until then it refuses them (BAD_USER_INPUT).
  for (let attempt = 1; ; attempt++) {
    const r = await ctx.gql(
      'mutation ($input: CreateRoleAssignmentInput!) { createRoleAssignment(input: $input) { id } }',
      { input: { displayName: 'bench help desk', roleId: role.id, adminGroupIds: [helpers], scopeGroupIds: [scope], scopeAllUsers: false, scopeAllDevices: false } },
      admin,
    );
    if (r.data?.createRoleAssignment) break;
    if (attempt >= 120 || r.errors?.[0]?.extensions?.code !== 'BAD_USER_INPUT') throw new Error(`createRoleAssignment: ${JSON.stringify(r.errors ?? r)}`);
    await sleep(250);
  }

  // rbac-service learns users, devices and groups from events: wait until it allows every pair.
  const deadline = Date.now() + 60_000;
  const check = 'query ($h: ID!, $d: ID!) { checkRemoteHelpAccess(helperId: $h, deviceId: $d, mode: VIEW_ONLY) { allowed reasons } }';
  let pending = pairs;
  while (pending.length) {
    const answers = await mapLimit(pending, concurrency, (p) => ctx.gql(check, { h: p.helperId, d: p.deviceId }, admin).catch(() => null));
    pending = pending.filter((_, i) => !answers[i]?.data?.checkRemoteHelpAccess?.allowed);
    if (!pending.length) break;
    if (Date.now() > deadline) throw new Error(`rbac-service does not allow ${pending.length} of the pairs after 60 s`);
    await sleep(250);
  }
  return { tenant: t, pairs };
}

/**
 * Has PostgreSQL write out the pages that earlier load left dirty (a checkpoint), so that its
 * checkpointer does not write them during the load that follows (the access-decision scenario
 * bulk-seeds directories of hundreds of MB just before). Measured after a 10x seeding, twice
 * each: 294 and 268 sessions/s with it, 255 and 282 without: within the machine's noise, but
 * one less thing that can land in a measured window. Needs a superuser (as the harness's
 * connections are here); otherwise says so and goes on.
 */
async function checkpoint(url) {
  const { Client } = require('pg');
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    await pg.query('CHECKPOINT');
  } catch (e) {
    process.stderr.write(`bench: no CHECKPOINT before the load (${e.message}); PostgreSQL may write earlier load's pages during it\n`);
  } finally {
    await pg.end();
  }
}

/**
 * Waits until the system has caught up with earlier load: every service's outbox is sent and
 * every consumer group of this run (topic prefix) has read its topics to the end (or, after
 * `timeoutMs`, says so on stderr), then has PostgreSQL write out what that load left dirty
 * (`checkpoint`). Returns the milliseconds waited.
 */
export async function waitUntilDrained(ctx, timeoutMs = 120_000) {
  const { Client } = require('pg');
  const { Kafka, logLevel } = kafkajs;
  const t0 = Date.now();
  const admin = new Kafka({ brokers: String(ctx.run.kafka.brokers).split(','), clientId: `${ctx.run.topicPrefix}bench-drain`, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    for (;;) {
      let pending = 0;
      for (const url of Object.values(ctx.run.databases)) {
        const pg = new Client({ connectionString: url });
        await pg.connect();
        try {
          pending += Number((await pg.query('SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL')).rows[0].n);
        } finally {
          await pg.end();
        }
      }
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(ctx.run.topicPrefix));
      for (const groupId of groups) {
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
          const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.offset)]));
          for (const p of partitions) if (Number(p.offset) >= 0) pending += Math.max(0, (ends.get(p.partition) ?? 0) - Number(p.offset));
        }
      }
      if (!pending) {
        await checkpoint(Object.values(ctx.run.databases)[0]);
        return Date.now() - t0;
      }
      if (Date.now() - t0 > timeoutMs) {
        process.stderr.write(`bench: the system has not caught up after ${timeoutMs} ms (${pending} events pending); going on\n`);
        return Date.now() - t0;
      }
      await sleep(500);
    }
  } finally {
    await admin.disconnect();
  }
}
