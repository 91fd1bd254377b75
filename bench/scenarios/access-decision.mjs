// Scenario 2: checkRemoteHelpAccess against a tenant directory of 0.1x, 1x and 10x "10,000 users,
// 50,000 devices, 1,000 groups, 200 role assignments", asked of rbac-service directly (with an
// internal token, as the gateway would send) and through the gateway (with the tenant admin's
// token): p50/p99 at a fixed 1,000 checks/s (open loop), and the maximum rate (closed loop). Every
// load run draws its own (helper, device, mode) checks afresh over the whole directory
// (bench/lib/access-checks.mjs), a mix of allowed and refused, and replays none, so rbac-service's
// in-memory facts are never handed the same checks twice. Each size is a fresh tenant: created,
// Remote Help enabled, roles and role assignments made through the API; its users, devices,
// groups and memberships bulk-seeded (bench/lib/directory-seed.mjs). Each figure is the median of
// the repeats; the first repeat at 1,000/s, which meets the facts cold, is judged on its own too.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { ROOT } from '../../scripts/lib/bootstrap.mjs';
import { CHECK, checkDrawer, checkVariables } from '../lib/access-checks.mjs';
import { runAccessLoad } from '../lib/access-load.mjs';
import { directorySize, groupId, insertAssignments, seedDirectory } from '../lib/directory-seed.mjs';
import { median } from '../lib/load.mjs';
import { prng } from '../lib/prng.mjs';
import { mapLimit } from '../lib/session-setup.mjs';

const require = createRequire(import.meta.url);
const { Client } = require('pg');

/** How many role assignments of a size are made through the API (createRoleAssignment); the rest in bulk. */
const API_ASSIGNMENTS = 10;

const CUSTOM_ROLES = [
  { displayName: 'Screen viewers', permissions: ['VIEW_SCREEN', 'OFFER_REMOTE_ASSISTANCE'] },
  { displayName: 'Full control operators', permissions: ['TAKE_FULL_CONTROL', 'OFFER_REMOTE_ASSISTANCE'] },
  { displayName: 'Screen watchers (cannot offer)', permissions: ['VIEW_SCREEN'] },
];

/**
 * The role assignments of a size: admin groups among the helpers' groups; roles: 45% Help Desk
 * Operator, the rest custom roles (one of which lacks OFFER_REMOTE_ASSISTANCE); scopes: 10% all
 * users and devices, 25% all devices and some user groups, 15% all users and some device groups,
 * the rest some device groups and some user groups (picked skewed towards the large groups).
 */
function assignmentInputs(tenantId, size, layout, roleIds) {
  const rnd = prng(size.users);
  const { helperGroups, userGroups, deviceGroups } = layout;
  const userGroup = () => groupId(tenantId, helperGroups + 1 + Math.floor(userGroups * rnd() ** 2));
  const deviceGroup = () => groupId(tenantId, helperGroups + userGroups + 1 + Math.floor(deviceGroups * rnd() ** 2));
  const some = (pick, max) => [...new Set(Array.from({ length: 1 + Math.floor(rnd() * max) }, pick))];
  return Array.from({ length: size.assignments }, (_, k) => {
    const r = rnd();
    const roleId = r < 0.45 ? roleIds.helpDeskOperator : r < 0.7 ? roleIds.custom[0] : r < 0.9 ? roleIds.custom[1] : roleIds.custom[2];
    const adminGroupIds = [...new Set([groupId(tenantId, 1 + (k % helperGroups)), ...(rnd() < 0.3 ? [groupId(tenantId, 1 + Math.floor(helperGroups * rnd()))] : [])])];
    const s = rnd();
    const scope =
      s < 0.1
        ? { scopeAllUsers: true, scopeAllDevices: true, scopeGroupIds: [] }
        : s < 0.35
          ? { scopeAllUsers: false, scopeAllDevices: true, scopeGroupIds: some(userGroup, 2) }
          : s < 0.5
            ? { scopeAllUsers: true, scopeAllDevices: false, scopeGroupIds: some(deviceGroup, 3) }
            : { scopeAllUsers: false, scopeAllDevices: false, scopeGroupIds: [...some(deviceGroup, 3), ...some(userGroup, 2)] };
    return { displayName: `Assignment ${k + 1}`, roleId, adminGroupIds, ...scope };
  });
}

async function gqlOk(ctx, query, variables, token) {
  const r = await ctx.gql(query, variables, token);
  if (r.errors?.length) throw new Error(`${query.slice(0, 60)}...: ${JSON.stringify(r.errors).slice(0, 500)}`);
  return r.data;
}

/** Waits until rbac-service's copy has the tenant's settings with Remote Help enabled (from Kafka). */
async function waitForSettings(url, tenantId, timeoutMs = 60_000) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query('SELECT remote_help_enabled FROM directory_tenants WHERE id = $1', [tenantId]);
      if (rows[0]?.remote_help_enabled) return;
      if (Date.now() > deadline) throw new Error(`rbac-service did not get the settings of tenant ${tenantId} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await client.end();
  }
}

/** One directory size: a fresh tenant, seeded; returns what it holds, checked with `checks` checks through the gateway. */
export async function prepare(ctx, label, scale, checks) {
  const size = directorySize(scale);
  const t = await ctx.newTenant();
  await gqlOk(ctx, 'mutation ($i: UpdateRemoteHelpSettingsInput!) { updateRemoteHelpSettings(input: $i) { remoteHelpEnabled } }', { i: { remoteHelpEnabled: true } }, t.adminToken);
  const custom = [];
  for (const r of CUSTOM_ROLES) custom.push((await gqlOk(ctx, 'mutation ($i: CreateRoleInput!) { createRole(input: $i) { id } }', { i: r }, t.adminToken)).createRole.id);
  const { roles } = await gqlOk(ctx, '{ roles { id displayName } }', {}, t.adminToken);
  const helpDeskOperator = roles.find((r) => r.displayName === 'Help Desk Operator')?.id;
  if (!helpDeskOperator) throw new Error('no Help Desk Operator role');

  const seeded = await seedDirectory({ databases: ctx.run.databases, tenantId: t.tenantId, domain: t.domain, size });
  await waitForSettings(ctx.run.databases['rbac-service'], t.tenantId);
  const t0 = Date.now();
  // The first assignments through the API (which checks them), the rest written as it writes them.
  const inputs = assignmentInputs(t.tenantId, size, seeded.layout, { helpDeskOperator, custom });
  await mapLimit(inputs.slice(0, API_ASSIGNMENTS), 4, (input) => gqlOk(ctx, 'mutation ($i: CreateRoleAssignmentInput!) { createRoleAssignment(input: $i) { id } }', { i: input }, t.adminToken));
  await insertAssignments(ctx.run.databases['rbac-service'], t.tenantId, inputs.slice(API_ASSIGNMENTS));
  const assignSeconds = (Date.now() - t0) / 1000;

  // Checks answer (no error), and the mix holds allowed and refused decisions. Drawn from a seed
  // of their own (0): the load runs' draws (seeds from 1) are not asked before they run.
  const draw = checkDrawer(size, 0);
  const sample = await mapLimit(Array.from({ length: checks }, draw), 4, (c) => gqlOk(ctx, CHECK, checkVariables(t.tenantId, c), t.adminToken).then((d) => d.checkRemoteHelpAccess));
  const reasons = {};
  for (const d of sample) for (const r of d.reasons) reasons[r] = (reasons[r] ?? 0) + 1;
  const allowedShare = sample.filter((d) => d.allowed).length / sample.length;
  if (allowedShare === 0 || allowedShare === 1) throw new Error(`the checks of size ${label} are all ${allowedShare ? 'allowed' : 'refused'}: ${JSON.stringify(reasons)}`);
  return { t, size, seeded, assignSeconds, sample: { allowedShare, reasons } };
}

export default {
  name: 'access-decision',
  description:
    'checkRemoteHelpAccess over 0.1x/1x/10x a 10k-user directory, fresh checks over the whole directory in every run, at rbac-service and through the gateway: p50/p99 at 1,000/s (first run judged too) and max rate',
  async run(ctx) {
    const { quick } = ctx;
    // RH_BENCH_ACCESS_SIZES=1x (or 0.1x,10x): some sizes only, when working on one.
    const only = (process.env.RH_BENCH_ACCESS_SIZES ?? '').split(',').filter(Boolean);
    const sizes = quick
      ? [['quick', 0.01]]
      : [
          ['0.1x', 0.1],
          ['1x', 1],
          ['10x', 10],
        ].filter(([l]) => !only.length || only.includes(l));
    const rate = quick ? 200 : 1000;
    const rateSeconds = quick ? 1 : 8;
    const maxSeconds = quick ? 1 : 6;
    const warmupSeconds = quick ? 0 : 1;
    const connections = quick ? 4 : 16;
    const repeats = quick ? 1 : Number(process.env.RH_BENCH_REPEATS ?? 3);
    const auth = require(path.join(ROOT, 'libs/auth/dist/index.js'));
    const signer = auth.createInternalTokenSigner(fs.readFileSync(path.join(ctx.run.dataDir, 'keys', 'internal.private.pem'), 'utf8'));
    const serviceUrl = `${ctx.run.system.urlOf('rbac-service')}/graphql`;

    const rows = [];
    const bySize = {};
    for (const [label, scale] of sizes) {
      const p = await prepare(ctx, label, scale, quick ? 40 : 200);
      const caller = { kind: 'user', tenantId: p.t.tenantId, userId: p.t.adminUserId, upn: p.t.adminUpn };
      // Internal tokens live 60 s: one is signed for each load run, as the gateway signs its own.
      const targets = {
        service: async () => ({ url: serviceUrl, headers: { authorization: `Bearer ${await signer.sign(caller, 'rbac-service')}` } }),
        gateway: async () => ({ url: ctx.run.system.gatewayUrl, headers: { authorization: `Bearer ${p.t.adminToken}` } }),
      };
      const runs = { service: { rate: [], max: [] }, gateway: { rate: [], max: [] } };
      // Each run its own seed (1, 2, ...): fresh checks every run, none replayed.
      const seeds = []; // { seed, drawn } of every run
      const load = async (target, mode) => {
        const seed = seeds.length + 1;
        const checks = { tenantId: p.t.tenantId, size: { users: p.size.users, devices: p.size.devices }, seed };
        const r = await runAccessLoad({ ...(await target()), checks, mode, rate, connections, durationSeconds: mode === 'rate' ? rateSeconds : maxSeconds, warmupSeconds });
        seeds.push({ seed, drawn: r.drawn });
        return r;
      };
      for (let i = 0; i < repeats; i++) {
        for (const [name, target] of Object.entries(targets)) {
          runs[name].rate.push(await load(target, 'rate'));
          runs[name].max.push(await load(target, 'max'));
        }
      }
      // What the checks reached: the runs' draws replayed.
      const touched = { users: new Set(), devices: new Set() };
      for (const { seed, drawn } of seeds) {
        const draw = checkDrawer(p.size, seed);
        for (let k = 0; k < drawn; k++) {
          const c = draw();
          touched.users.add(c.helper);
          touched.devices.add(c.device);
        }
      }
      for (const [name, r] of Object.entries(runs)) {
        const errors = [...r.rate, ...r.max].reduce((a, x) => a + x.errors, 0);
        if (errors) throw new Error(`${name} at size ${label}: ${errors} failed checks, e.g. ${[...r.rate, ...r.max].find((x) => x.firstError)?.firstError}`);
      }
      const fig = (list, k) => median(list.map((x) => x[k]));
      const sizeFields = { scenario: 'access-decision', size: label, users: p.size.users, devices: p.size.devices, groups: p.size.groups, assignments: p.size.assignments };
      for (const name of ['service', 'gateway']) {
        const r = runs[name];
        rows.push({
          ...sizeFields,
          target: name === 'service' ? 'rbac-service (direct)' : 'gateway',
          rate,
          achievedRps: fig(r.rate, 'rps'),
          p50: fig(r.rate, 'p50'),
          p99: fig(r.rate, 'p99'),
          late: fig(r.rate, 'late'),
          loadLagP99: fig(r.rate, 'lagP99'),
          // The first run at 1,000/s meets rbac-service's in-memory facts cold (judged too).
          firstRunP99: r.rate[0].p99,
          worstRunP99: Math.max(...r.rate.map((x) => x.p99)),
          maxRps: fig(r.max, 'rps'),
          p50AtMax: fig(r.max, 'p50'),
          p99AtMax: fig(r.max, 'p99'),
          allowedShare: Math.round(fig(r.rate, 'allowedShare') * 100) / 100,
          repeats,
        });
      }
      rows.push({
        ...sizeFields,
        target: 'seeding',
        userMemberships: p.seeded.counts.userMemberships,
        deviceMemberships: p.seeded.counts.deviceMemberships,
        seedSeconds: p.seeded.seconds,
        assignSeconds: p.assignSeconds,
        sampleAllowedShare: Math.round(p.sample.allowedShare * 100) / 100,
        checksDrawn: seeds.reduce((a, x) => a + x.drawn, 0),
        usersTouched: touched.users.size,
        devicesTouched: touched.devices.size,
      });
      bySize[label] = { service: rows.at(-3), gateway: rows.at(-2), reasons: p.sample.reasons };
      process.stderr.write(`access-decision ${label}: seeded in ${p.seeded.seconds} s, ${p.size.assignments} assignments in ${p.assignSeconds} s; sample reasons ${JSON.stringify(p.sample.reasons)}\n`);
    }

    const labels = Object.keys(bySize);
    const first = bySize[labels[0]];
    const last = bySize[labels.at(-1)];
    const ratios = {
      [`serviceP99_${labels.at(-1)}_vs_${labels[0]}`]: round(last.service.p99 / first.service.p99),
      [`serviceMaxRps_${labels.at(-1)}_vs_${labels[0]}`]: round(last.service.maxRps / first.service.maxRps),
      ...Object.fromEntries(labels.map((l) => [`gatewayP99_vs_service_${l}`, round(bySize[l].gateway.p99 / bySize[l].service.p99)])),
    };
    const targets = Object.fromEntries(
      labels.flatMap((l) => [
        [`p99 at most 5 ms at the service at ${rate} fresh checks/s, ${l} directory (median of ${repeats})`, bySize[l].service.p99 <= 5],
        [`p99 at most 5 ms at the service at ${rate} fresh checks/s, ${l} directory, first (cold) run`, bySize[l].service.firstRunP99 <= 5],
      ]),
    );
    return { rows, ratios, targets };
  },
};

const round = (n) => Math.round(n * 100) / 100;
