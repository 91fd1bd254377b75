// Bulk-seeds one tenant's directory (users with licences, devices with primary users, groups and
// their members) for the access-decision benchmark, straight into PostgreSQL with generate_series:
// into tenant-service (the source of truth) and into the copies that tenant-service's events keep
// (rbac-service's directory_* tables, reporting-service's directory_users), with the same rows and
// the same snapshot versions the events would have produced (a user created = version 1, + 1 for
// its licence; a device = version 1). Every id and attribute is a pure function of (tenant, index),
// so the three databases are filled independently yet identically, and the benchmark can name any
// user, device or group without reading them back. No events are written: the tenant itself, its
// settings and roles go through the real API (see access-decision); role assignments beyond the
// first few (made through the API) are inserted by insertAssignments as the service writes them.
import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Client } = require('pg');

/** A directory size: `scale` 1 = 10,000 users, 50,000 devices, 1,000 groups, 200 assignments. */
export function directorySize(scale) {
  const users = Math.round(10_000 * scale);
  return { users, devices: users * 5, groups: Math.max(10, Math.round(users / 10)), assignments: Math.max(4, Math.round(users / 50)) };
}

/** How the groups are laid out: helpers' groups (admin groups), user groups, device groups. */
export function groupLayout(groups) {
  const helperGroups = Math.max(1, Math.floor(groups / 10));
  const userGroups = Math.floor(groups * 0.45);
  return { helperGroups, userGroups, deviceGroups: groups - helperGroups - userGroups };
}

/** Every HELPER_EVERY-th user is a help-desk helper (in one or two helpers' groups). */
export const HELPER_EVERY = 20;

/**
 * Ids: a per-(tenant, kind) random-looking prefix (md5, shaped as a version-4 UUID) and the index
 * scattered over 48 bits by a multiplicative permutation, so that ids spread over the indexes
 * like random UUIDs, yet cost PostgreSQL no hashing per row. The same in JS and in SQL.
 */
export function idPrefix(tenantId, kind) {
  const h = createHash('md5').update(`${tenantId}:${kind}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-`;
}
const SCATTER = 2654435761;
const TWO_48 = 2 ** 48;
const idOf = (tenantId, kind, i) => idPrefix(tenantId, kind) + ((i * SCATTER) % TWO_48).toString(16).padStart(12, '0');
export const userId = (tenantId, i) => idOf(tenantId, 'u', i);
export const deviceId = (tenantId, j) => idOf(tenantId, 'd', j);
export const groupId = (tenantId, g) => idOf(tenantId, 'g', g);

// Deterministic numbers in [0, 1) from an index and a salt: one md5 gives four (k = 0..3); the
// md5 is computed once per row in a LATERAL subquery (OFFSET 0 keeps the planner from copying it
// into every use).
const md5of = (expr, salt) => `md5('${salt}:' || (${expr})::text)`;
const part = (md5Expr, k) => `(('x' || substr(${md5Expr}, ${1 + 8 * k}, 8))::bit(32)::bigint / 4294967296.0)`;
const h = (expr, salt) => part(md5of(expr, salt), 0);
const scatter = (expr) => `lpad(to_hex((${expr})::bigint * ${SCATTER} % ${TWO_48}), 12, '0')`;
const uid = (expr) => `($11::text || ${scatter(expr)})::uuid`;
const did = (expr) => `($12::text || ${scatter(expr)})::uuid`;
const gid = (expr) => `($13::text || ${scatter(expr)})::uuid`;

// Parameters of every statement: $1 tenant id, $2 users, $3 devices, $4 helper groups,
// $5 user groups, $6 device groups, $7 domain, $8 seeding time, $9 licence active-from (past),
// $10 licence active-from (future, not yet active), $11, $12, $13 the id prefixes of users,
// devices and groups.
const USERS = `SELECT i, ${uid('i')} AS id, ${h('i', 'lic')} AS lic FROM generate_series(1, $2::int) i`;
// Licences: 88% Remote Help add-on, 5% Intune Suite, 3% an add-on not active yet, 4% none.
const LICENSE_KIND = `CASE WHEN s.lic < 0.88 THEN 'REMOTE_HELP_ADDON' WHEN s.lic < 0.93 THEN 'INTUNE_SUITE' ELSE 'REMOTE_HELP_ADDON' END`;
const LICENSE_FROM = `CASE WHEN s.lic < 0.93 THEN $9::text ELSE $10::text END`;
// Platforms: 70% Windows (some Windows 10), 8% Windows on ARM64, 6% Windows 365, 8% macOS (some too
// old), 5% Android dedicated (mostly Samsung/Zebra, no user), 3% other; 95% enrolled, 97% of those
// Entra registered; 90% of the non-dedicated devices have a primary user.
const DEVICES = `SELECT j, ${did('j')} AS id, ${part('x.m1', 0)} AS p, ${part('x.m1', 1)} AS q,
    ${part('x.m1', 2)} < 0.95 AS enrolled, ${part('x.m1', 3)} AS reg, ${part('x.m2', 0)} AS cmp, ${part('x.m2', 1)} AS pu, ${part('x.m2', 2)} AS pu2
  FROM generate_series(1, $3::int) j, LATERAL (SELECT ${md5of('j', 'dev1')} AS m1, ${md5of('j', 'dev2')} AS m2 OFFSET 0) x`;
const DEVICE_COLUMNS = `
  CASE WHEN d.p < 0.70 THEN 'WINDOWS' WHEN d.p < 0.78 THEN 'WINDOWS_ARM64' WHEN d.p < 0.84 THEN 'WINDOWS_365' WHEN d.p < 0.92 THEN 'MACOS' WHEN d.p < 0.97 THEN 'ANDROID_DEDICATED' ELSE 'OTHER' END AS platform,
  CASE WHEN d.p < 0.78 THEN (CASE WHEN d.q < 0.7 THEN '10.0.22631' WHEN d.q < 0.98 THEN '10.0.19045' ELSE '6.3.9600' END)
       WHEN d.p < 0.84 THEN 'Cloud PC' WHEN d.p < 0.92 THEN (CASE WHEN d.q < 0.9 THEN '14.5' ELSE '11.7.10' END)
       WHEN d.p < 0.97 THEN '13' ELSE 'Ubuntu 22.04' END AS os_version,
  CASE WHEN d.p < 0.84 THEN 'Contoso' WHEN d.p < 0.92 THEN 'Apple' WHEN d.p < 0.97 THEN (CASE WHEN d.q < 0.5 THEN 'Samsung' WHEN d.q < 0.9 THEN 'Zebra' ELSE 'Lenovo' END) ELSE NULL END AS manufacturer,
  d.enrolled, d.enrolled AND d.reg < 0.97 AS entra_registered,
  CASE WHEN d.cmp < 0.85 THEN 'COMPLIANT' WHEN d.cmp < 0.95 THEN 'NONCOMPLIANT' ELSE 'UNKNOWN' END AS compliance,
  CASE WHEN d.p >= 0.92 AND d.p < 0.97 THEN NULL WHEN d.pu < 0.9 THEN ${uid('1 + floor($2::int * d.pu2)::int')} ELSE NULL END AS primary_user_id`;
const GROUPS = `SELECT g, ${gid('g')} AS id,
    CASE WHEN g <= $4::int THEN 'Helpers ' WHEN g <= $4::int + $5::int THEN 'Users ' ELSE 'Devices ' END || g AS display_name,
    CASE WHEN g <= $4::int + $5::int THEN 'USERS' ELSE 'DEVICES' END AS member_kind
  FROM generate_series(1, $4::int + $5::int + $6::int) g`;
// Every user is in three user groups: one uniformly ("department"), two skewed towards the first
// groups (a few very large groups, many small ones); helpers are also in one or two helpers' groups.
const USER_MEMBERS = `SELECT ${gid('g')} AS group_id, ${uid('i')} AS user_id FROM (
    SELECT i, unnest(ARRAY[$4::int + 1 + (i % $5::int), $4::int + 1 + floor($5::int * power(${part('x.m', 0)}, 2))::int, $4::int + 1 + floor($5::int * power(${part('x.m', 1)}, 4))::int]
      || CASE WHEN i % ${HELPER_EVERY} = 0 THEN ARRAY[1 + ((i / ${HELPER_EVERY}) % $4::int), 1 + floor($4::int * power(${part('x.m', 2)}, 2))::int] ELSE '{}'::int[] END) AS g
    FROM generate_series(1, $2::int) i, LATERAL (SELECT ${md5of('i', 'ugroups')} AS m OFFSET 0) x) m`;
// Every device is in two device groups: one uniformly ("site"), one skewed.
const DEVICE_MEMBERS = `SELECT ${gid('g')} AS group_id, ${did('j')} AS device_id FROM (
    SELECT j, unnest(ARRAY[$4::int + $5::int + 1 + (j % $6::int), $4::int + $5::int + 1 + floor($6::int * power(${h('j', 'dg2')}, 3))::int]) AS g
    FROM generate_series(1, $3::int) j) m`;

const TENANT_STATEMENTS = [
  `INSERT INTO users (id, tenant_id, user_principal_name, given_name, surname, display_name, job_title, company_name, profile_picture_url, created_at, updated_at, version)
   SELECT s.id, $1::uuid, 'user' || s.i || '@' || $7::text, 'User', s.i::text, 'User ' || s.i, CASE WHEN s.i % ${HELPER_EVERY} = 0 THEN 'Help desk' ELSE 'Engineer' END, 'Contoso', NULL,
     $8::timestamptz, $8::timestamptz, CASE WHEN s.lic < 0.96 THEN 2 ELSE 1 END FROM (${USERS}) s`,
  `INSERT INTO licenses (user_id, tenant_id, kind, active_from, expires_at, assigned_at)
   SELECT s.id, $1::uuid, ${LICENSE_KIND}, (${LICENSE_FROM})::timestamptz, NULL, $8::timestamptz FROM (${USERS}) s WHERE s.lic < 0.96`,
  `INSERT INTO devices (id, tenant_id, display_name, platform, os_version, manufacturer, enrolled, entra_registered, compliance, primary_user_id, created_at, updated_at, version)
   SELECT d.id, $1::uuid, 'PC-' || d.j, c.*, $8::timestamptz, $8::timestamptz, 1 FROM (${DEVICES}) d, LATERAL (SELECT ${DEVICE_COLUMNS}) c`,
  `INSERT INTO directory_groups (id, tenant_id, display_name, member_kind, created_at) SELECT id, $1::uuid, display_name, member_kind, $8::timestamptz FROM (${GROUPS}) g`,
  `INSERT INTO group_users (group_id, user_id, tenant_id, added_at) SELECT group_id, user_id, $1::uuid, $8::timestamptz FROM (${USER_MEMBERS}) m ON CONFLICT DO NOTHING`,
  `INSERT INTO group_devices (group_id, device_id, tenant_id, added_at) SELECT group_id, device_id, $1::uuid, $8::timestamptz FROM (${DEVICE_MEMBERS}) m ON CONFLICT DO NOTHING`,
];

const RBAC_STATEMENTS = [
  `INSERT INTO directory_users (id, tenant_id, user_principal_name, display_name, licenses, version)
   SELECT s.id, $1::uuid, 'user' || s.i || '@' || $7::text, 'User ' || s.i,
     CASE WHEN s.lic < 0.96 THEN jsonb_build_array(jsonb_build_object('kind', ${LICENSE_KIND}, 'activeFrom', ${LICENSE_FROM}, 'expiresAt', NULL)) ELSE '[]'::jsonb END,
     CASE WHEN s.lic < 0.96 THEN 2 ELSE 1 END FROM (${USERS}) s`,
  `INSERT INTO directory_devices (id, tenant_id, display_name, platform, os_version, manufacturer, enrolled, entra_registered, compliance, primary_user_id, version)
   SELECT d.id, $1::uuid, 'PC-' || d.j, c.*, 1 FROM (${DEVICES}) d, LATERAL (SELECT ${DEVICE_COLUMNS}) c`,
  `INSERT INTO directory_groups (id, tenant_id, display_name, member_kind) SELECT id, $1::uuid, display_name, member_kind FROM (${GROUPS}) g`,
  `INSERT INTO directory_group_users (group_id, user_id, tenant_id) SELECT group_id, user_id, $1::uuid FROM (${USER_MEMBERS}) m ON CONFLICT DO NOTHING`,
  `INSERT INTO directory_group_devices (group_id, device_id, tenant_id) SELECT group_id, device_id, $1::uuid FROM (${DEVICE_MEMBERS}) m ON CONFLICT DO NOTHING`,
];

const REPORTING_STATEMENTS = [
  `INSERT INTO directory_users (id, tenant_id, user_principal_name, display_name, version)
   SELECT s.id, $1::uuid, 'user' || s.i || '@' || $7::text, 'User ' || s.i, CASE WHEN s.lic < 0.96 THEN 2 ELSE 1 END FROM (${USERS}) s`,
];

/** The statement with only the parameters it uses, renumbered (PostgreSQL must type every one it is given). */
function bind(sql, params) {
  const used = [...new Set([...sql.matchAll(/\$(\d+)\b/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
  const text = sql.replace(/\$(\d+)\b/g, (_m, n) => `$${used.indexOf(Number(n)) + 1}`);
  return [text, used.map((n) => params[n - 1])];
}

async function runAll(url, statements, params, tables) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    // The rows are consistent by construction: skip the per-row foreign-key triggers (as a bulk
    // load would); the counts are compared afterwards.
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(`SET LOCAL work_mem = '64MB'`);
    for (const sql of statements) await client.query(...bind(sql, params));
    await client.query('COMMIT');
    // The planner must know the tables' new sizes, and autovacuum must not start on the freshly
    // loaded tables in the middle of a measurement (a directory that grew over time would have
    // been vacuumed long ago): both done now, before any load (outside the transaction).
    await client.query(`VACUUM ANALYZE ${tables.join(', ')}`);
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    await client.end();
  }
}

/**
 * Seeds the tenant's directory at `size` (see directorySize) into the three databases, in
 * parallel. The tenant must exist (created through the API or CLI). Returns the seconds taken and
 * the row counts read back from tenant-service and rbac-service (which must agree).
 */
export async function seedDirectory({ databases, tenantId, domain, size, now = new Date() }) {
  const layout = groupLayout(size.groups);
  const params = [
    tenantId,
    size.users,
    size.devices,
    layout.helperGroups,
    layout.userGroups,
    layout.deviceGroups,
    domain,
    now.toISOString(),
    new Date(now.getTime() - 86_400_000).toISOString(),
    new Date(now.getTime() + 4 * 3_600_000).toISOString(),
    idPrefix(tenantId, 'u'),
    idPrefix(tenantId, 'd'),
    idPrefix(tenantId, 'g'),
  ];
  const t0 = Date.now();
  await Promise.all([
    runAll(databases['tenant-service'], TENANT_STATEMENTS, params, ['users', 'licenses', 'devices', 'directory_groups', 'group_users', 'group_devices']),
    runAll(databases['rbac-service'], RBAC_STATEMENTS, params, ['directory_users', 'directory_devices', 'directory_groups', 'directory_group_users', 'directory_group_devices']),
    runAll(databases['reporting-service'], REPORTING_STATEMENTS, params, ['directory_users']),
  ]);
  const seconds = (Date.now() - t0) / 1000;
  const count = async (url, tables) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const out = {};
      for (const [name, table] of Object.entries(tables)) out[name] = Number((await client.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [tenantId])).rows[0].n);
      return out;
    } finally {
      await client.end();
    }
  };
  const [tenantCounts, rbacCounts] = await Promise.all([
    count(databases['tenant-service'], { users: 'users', devices: 'devices', groups: 'directory_groups', userMemberships: 'group_users', deviceMemberships: 'group_devices' }),
    count(databases['rbac-service'], { users: 'directory_users', devices: 'directory_devices', groups: 'directory_groups', userMemberships: 'directory_group_users', deviceMemberships: 'directory_group_devices' }),
  ]);
  for (const k of Object.keys(tenantCounts)) {
    // tenant-service holds the admin (and the admin group) made by `rh tenant create` as well.
    if (rbacCounts[k] !== tenantCounts[k]) throw new Error(`seeded ${k} differ: tenant-service ${tenantCounts[k]}, rbac-service ${rbacCounts[k]}`);
  }
  return { seconds, layout, counts: rbacCounts };
}

/**
 * Role assignments written into rbac-service's role_assignments exactly as createRoleAssignment
 * writes them (a random id, no built-in key, no description, created now, in order); without
 * the rbac.assignment.created events, which nothing in the benchmark reads.
 */
export async function insertAssignments(url, tenantId, inputs) {
  if (!inputs.length) return;
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const rows = inputs.map((a, n) => ({
      n,
      id: randomUUID(),
      role_id: a.roleId,
      display_name: a.displayName,
      admin_group_ids: a.adminGroupIds,
      scope_group_ids: a.scopeGroupIds ?? [],
      scope_all_users: a.scopeAllUsers ?? false,
      scope_all_devices: a.scopeAllDevices ?? false,
    }));
    await client.query(
      `INSERT INTO role_assignments (id, tenant_id, role_id, built_in_key, display_name, description, admin_group_ids, scope_group_ids, scope_all_users, scope_all_devices, created_at)
       SELECT x.id, $1::uuid, x.role_id, NULL, x.display_name, NULL, x.admin_group_ids, x.scope_group_ids, x.scope_all_users, x.scope_all_devices, now() + (x.n * interval '1 microsecond')
       FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, role_id uuid, display_name text, admin_group_ids uuid[], scope_group_ids uuid[], scope_all_users boolean, scope_all_devices boolean, n bigint)`,
      [tenantId, JSON.stringify(rows)],
    );
    await client.query('ANALYZE role_assignments');
  } finally {
    await client.end();
  }
}
