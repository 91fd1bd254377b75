// Distinct callers for the read-side scenarios (gateway-overhead, reporting, dashboard-fan-out):
// in a tenant, `count` users set up through the public API as an administrator would (a custom
// role holding READ_REPORTS only, a group of the users holding it over the whole tenant), each
// with a token of its own, returned once rbac-service (which learns the directory from events)
// lets every one of them read the tenant's active session count. Many users across tenants keep
// the gateway's in-flight sharing of identical subgraph fetches (same caller, same fetch) and its
// per-caller caches (verified tokens, directory identities, admin permissions) from answering
// many requests with one fetch, as a single token would let them.
import { mapLimit, tokenSigner } from './session-setup.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function ok(ctx, query, variables, token) {
  const r = await ctx.gql(query, variables, token);
  if (r.errors?.length || !r.data) throw new Error(`${query.slice(0, 60)}...: ${JSON.stringify(r.errors ?? r).slice(0, 500)}`);
  return r.data;
}

/**
 * Creates `count` report readers in tenant `t` (from ctx.newTenant()); returns
 * [{ tenantId, userId, upn, token }]. `tokensPerReader` > 1 signs that many distinct tokens per
 * reader (returned as `tokens`; `token` is the first), as one user signed in on several dashboards.
 */
export async function reportReaders(ctx, t, count, { concurrency = 8, tokensPerReader = 1 } = {}) {
  const admin = t.adminToken;
  const sign = tokenSigner(ctx);
  const { createRole } = await ok(ctx, 'mutation ($i: CreateRoleInput!) { createRole(input: $i) { id } }', { i: { displayName: 'Report readers', permissions: [], adminPermissions: ['READ_REPORTS'] } }, admin);
  const { createGroup } = await ok(ctx, 'mutation ($i: CreateGroupInput!) { createGroup(input: $i) { id } }', { i: { displayName: 'report readers', memberKind: 'USERS' } }, admin);
  const readers = await mapLimit(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      const upn = `reader${i}@${t.domain}`;
      const { upsertUser } = await ok(
        ctx,
        'mutation ($i: UpsertUserInput!) { upsertUser(input: $i) { id } }',
        { i: { userPrincipalName: upn, displayName: `Reader ${i}`, givenName: 'Reader', surname: String(i), jobTitle: 'Service desk lead', companyName: 'Contoso' } },
        admin,
      );
      // Distinct tokens for one user: the same claims with a different expiry.
      const tokens = [];
      for (let k = 0; k < tokensPerReader; k++) tokens.push(await sign(t.tenantId, upn, 7200 + k));
      return { tenantId: t.tenantId, userId: upsertUser.id, upn, token: tokens[0], tokens };
    },
  );
  for (let i = 0; i < readers.length; i += 50) {
    await ok(ctx, 'mutation ($g: ID!, $u: [ID!]) { addGroupMembers(groupId: $g, userIds: $u, deviceIds: []) { id } }', { g: createGroup.id, u: readers.slice(i, i + 50).map((r) => r.userId) }, admin);
  }
  // rbac-service learns the new group from events: until then it refuses it (BAD_USER_INPUT).
  for (let attempt = 1; ; attempt++) {
    const r = await ctx.gql(
      'mutation ($i: CreateRoleAssignmentInput!) { createRoleAssignment(input: $i) { id } }',
      { i: { displayName: 'report readers', roleId: createRole.id, adminGroupIds: [createGroup.id], scopeGroupIds: [], scopeAllUsers: true, scopeAllDevices: true } },
      admin,
    );
    if (r.data?.createRoleAssignment) break;
    if (attempt >= 240 || r.errors?.[0]?.extensions?.code !== 'BAD_USER_INPUT') throw new Error(`createRoleAssignment: ${JSON.stringify(r.errors ?? r)}`);
    await sleep(250);
  }
  // ...and the memberships: wait until every reader may read the active count.
  const deadline = Date.now() + 120_000;
  let pending = readers;
  for (;;) {
    const answers = await mapLimit(pending, concurrency, (r) => ctx.gql('{ tenant { activeSessionCount } }', {}, r.token).catch(() => null));
    pending = pending.filter((_, i) => typeof answers[i]?.data?.tenant?.activeSessionCount !== 'number');
    if (!pending.length) return readers;
    if (Date.now() > deadline) throw new Error(`${pending.length} of ${readers.length} report readers of tenant ${t.tenantId} still may not read reports after 120 s`);
    await sleep(500);
  }
}

/** `tenants` fresh tenants with `perTenant` report readers each; returns { tenants, readers } (readers interleaved by tenant). */
export async function readersAcrossTenants(ctx, tenants, perTenant, opts) {
  const made = [];
  for (let k = 0; k < tenants; k++) {
    const t = await ctx.newTenant();
    made.push({ t, readers: await reportReaders(ctx, t, perTenant, opts) });
  }
  const readers = [];
  for (let i = 0; i < perTenant; i++) for (const m of made) readers.push(m.readers[i]);
  return { tenants: made.map((m) => m.t), readers };
}
