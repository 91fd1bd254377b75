// Integration tests of the in-memory decision facts (FactsCache, fed by the triggers' NOTIFY through
// AccessFactsListener) against the real PostgreSQL, in a database of their own: the cached path
// answers exactly what the database says, sees another writer's change within 1 s, and reads the
// database while its change feed is down.
import { ALL_ADMIN_PERMISSIONS, RemoteHelpPermission as P } from '@remote-help/domain';
import type { UserSnapshot } from '@remote-help/events';
import { dropDatabase, openServiceDataSource } from '@remote-help/service-kit';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { ENTITIES, MIGRATIONS } from '../data-source';
import { DirectoryStore } from '../directory/directory-store';
import { FactsCache } from './access-facts.cache';
import { AccessFactsListener } from './access-facts.listener';
import { AccessDataService } from './access-data.service';

const URL = `postgres://postgres@127.0.0.1:5432/rh_rbac_facts_it_${randomBytes(4).toString('hex')}`;
jest.setTimeout(120_000);

let ds: DataSource;
let other: Client; // another writer (another instance, the CLI, an operator)
let cache: FactsCache;
let listener: AccessFactsListener;
let cached: AccessDataService;
let plain: AccessDataService;
const store = new DirectoryStore();

const LIC = [{ kind: 'REMOTE_HELP_ADDON' as const, activeFrom: '2026-01-01T00:00:00.000Z', expiresAt: null }];
const user = (tenantId: string, id: string, n: number, licenses: UserSnapshot['licenses'] = LIC): UserSnapshot => ({
  id,
  tenantId,
  userPrincipalName: `u${n}@contoso.com`,
  displayName: `U ${n}`,
  givenName: null,
  surname: null,
  jobTitle: null,
  companyName: null,
  profilePictureUrl: null,
  licenses,
  version: 1,
});

/** A tenant with 12 users, 16 devices (some without a primary user), 5 groups, 2 roles and 4 assignments. */
async function seedTenant() {
  const tenantId = randomUUID();
  const adminUserId = randomUUID();
  const adminGroupId = randomUUID();
  const users = Array.from({ length: 12 }, () => randomUUID());
  const devices = Array.from({ length: 16 }, () => randomUUID());
  const groups = Array.from({ length: 5 }, () => randomUUID());
  const roles = [randomUUID(), randomUUID()];
  const assignments = Array.from({ length: 4 }, () => randomUUID());
  await ds.transaction(async (m) => {
    await store.bootstrapTenant(m, {
      tenant: { tenantId, displayName: 'Contoso', verifiedDomains: ['contoso.com'], cloud: 'COMMERCIAL', adminUserId, adminGroupId },
      settings: { tenantId, cloud: 'COMMERCIAL', remoteHelpEnabled: true, allowUnenrolledDevices: false, chatDisabled: false, requireReason: false, updatedAt: null, updatedBy: null, version: 1 },
      adminUser: user(tenantId, adminUserId, 0),
      group: { id: adminGroupId, tenantId, displayName: 'Admins', memberKind: 'USERS' },
    });
    for (const [i, id] of users.entries()) await store.userUpserted(m, user(tenantId, id, i + 1, i % 5 === 4 ? [] : LIC));
    for (const [i, id] of devices.entries()) {
      await store.deviceUpserted(m, {
        id,
        tenantId,
        displayName: `PC ${i}`,
        platform: i % 7 === 6 ? 'OTHER' : 'WINDOWS',
        osVersion: '10.0.22631',
        manufacturer: null,
        enrolled: i % 6 !== 5,
        entraRegistered: true,
        compliance: i % 4 === 3 ? 'NONCOMPLIANT' : 'COMPLIANT',
        primaryUserId: i % 3 === 2 ? null : users[i % users.length],
        version: 1,
      });
    }
    for (const [i, id] of groups.entries()) await store.groupCreated(m, { id, tenantId, displayName: `G${i}`, memberKind: 'MIXED' });
    for (const [i, g] of groups.entries()) {
      await store.membersAdded(m, { groupId: g, tenantId, userIds: users.filter((_, k) => k % 5 === i || k % 3 === i), deviceIds: devices.filter((_, k) => k % 5 === i) });
    }
    await m.query(`INSERT INTO roles (id, tenant_id, display_name, permissions, admin_permissions) VALUES ($1, $3, 'Viewers', $4, '{READ_REPORTS}'), ($2, $3, 'Controllers', $5, '{}')`, [
      roles[0],
      roles[1],
      tenantId,
      [P.VIEW_SCREEN, P.OFFER_REMOTE_ASSISTANCE],
      [P.TAKE_FULL_CONTROL, P.OFFER_REMOTE_ASSISTANCE],
    ]);
    const scopes = [
      [[groups[2]], false, false],
      [[groups[3], groups[4]], false, true],
      [[], true, true],
      [[groups[0]], true, false],
    ] as const;
    for (const [i, id] of assignments.entries()) {
      await m.query(
        `INSERT INTO role_assignments (id, tenant_id, role_id, display_name, admin_group_ids, scope_group_ids, scope_all_users, scope_all_devices, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + $9 * interval '1 second')`,
        [id, tenantId, roles[i % 2], `A${i}`, [groups[i % 2], ...(i === 3 ? [groups[1]] : [])], scopes[i][0], scopes[i][1], scopes[i][2], i],
      );
    }
  });
  return { tenantId, adminUserId, adminGroupId, users, devices, groups, roles, assignments };
}

type Seeded = Awaited<ReturnType<typeof seedTenant>>;

/** Every (helper, device, target?, caller) question the tests ask, cached against plain. */
async function expectSameAnswers(t: Seeded, rounds = 1) {
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < 40; i++) {
      const q = { tenantId: t.tenantId, helperId: t.users[i % t.users.length], deviceId: t.devices[(i * 7) % t.devices.length], targetUserId: i % 4 === 0 ? t.users[(i + 3) % t.users.length] : null };
      expect(await cached.decisionFacts(q)).toEqual(await plain.decisionFacts(q));
      const caller = i % 3 === 0 ? t.adminUserId : t.users[(i * 5) % t.users.length];
      expect(await cached.decisionFactsAndCallerPermissions(q, caller)).toEqual(await plain.decisionFactsAndCallerPermissions(q, caller));
    }
  }
}

/**
 * Polls until the cached facts equal the database's, for at most 30 s (generous: the cache has
 * no time-to-live, so only the change feed can bring them together; how soon is the benchmark's).
 */
async function convergence(what: string, q: { tenantId: string; helperId: string; deviceId: string }, caller: string): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const [a, b] = [await cached.decisionFactsAndCallerPermissions(q, caller), await plain.decisionFactsAndCallerPermissions(q, caller)];
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if (Date.now() - t0 > 30_000) throw new Error(`${what}: cached facts still differ after 30 s: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const waitFor = async (what: string, ok: () => boolean) => {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > 30_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

beforeAll(async () => {
  ds = await openServiceDataSource({ url: URL, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 4 });
  cache = new FactsCache(1000);
  listener = new AccessFactsListener(cache, ds);
  await listener.onModuleInit();
  cached = new AccessDataService(ds, cache);
  plain = new AccessDataService(ds);
  other = new Client({ connectionString: URL });
  await other.connect();
});
afterAll(async () => {
  await listener?.onApplicationShutdown();
  await other?.end();
  await ds?.destroy();
  await dropDatabase(URL);
});

describe('cached decision facts', () => {
  it('are exactly what the database says, and served from memory once read', async () => {
    expect(cache.live).toBe(true);
    const t = await seedTenant();
    await expectSameAnswers(t);
    expect(cache.size).toBeGreaterThan(20);
    // Again: now without a single round trip (the pool is not asked).
    const pool = (ds.driver as unknown as { master: { query: (...a: unknown[]) => unknown } }).master;
    const spy = jest.spyOn(pool, 'query');
    try {
      for (let i = 0; i < 40; i++) {
        await cached.decisionFacts({ tenantId: t.tenantId, helperId: t.users[i % t.users.length], deviceId: t.devices[(i * 7) % t.devices.length], targetUserId: i % 4 === 0 ? t.users[(i + 3) % t.users.length] : null });
      }
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    // Unknown ids, another tenant's ids, and an admin of another tenant: the same as the database too.
    const foreign = await seedTenant();
    for (const q of [
      { tenantId: t.tenantId, helperId: randomUUID(), deviceId: randomUUID() },
      { tenantId: t.tenantId, helperId: foreign.users[0], deviceId: t.devices[0] },
      { tenantId: t.tenantId, helperId: t.users[0], deviceId: foreign.devices[0], targetUserId: foreign.users[1] },
      { tenantId: randomUUID(), helperId: t.users[0], deviceId: t.devices[0] },
    ]) {
      expect(await cached.decisionFacts(q)).toEqual(await plain.decisionFacts(q));
      expect(await cached.decisionFactsAndCallerPermissions(q, foreign.adminUserId)).toEqual(await plain.decisionFactsAndCallerPermissions(q, foreign.adminUserId));
    }
    expect((await cached.decisionFactsAndCallerPermissions({ tenantId: t.tenantId, helperId: t.users[0], deviceId: t.devices[0] }, t.adminUserId)).callerAdminPermissions).toEqual(ALL_ADMIN_PERMISSIONS);
  });

  it("see another writer's change, whatever table it is in", async () => {
    const t = await seedTenant();
    await expectSameAnswers(t); // all cached
    // users[6] is in groups 0 and 1 (assignments A0 to A3 name groups 0 and 1 as admin groups).
    const q = { tenantId: t.tenantId, helperId: t.users[6], deviceId: t.devices[0] };
    const changes: [string, string, unknown[]][] = [
      ['helper leaves a group', `DELETE FROM directory_group_users WHERE user_id = $1 AND group_id = $2`, [t.users[6], t.groups[1]]],
      ['device joins a group', `INSERT INTO directory_group_devices (group_id, device_id, tenant_id) VALUES ($1, $2, $3)`, [t.groups[2], t.devices[0], t.tenantId]],
      ['device turns non-compliant', `UPDATE directory_devices SET compliance = 'NONCOMPLIANT', version = version + 1 WHERE id = $1`, [t.devices[0]]],
      ['primary user loses the licence', `UPDATE directory_users SET licenses = '[]', version = version + 1 WHERE id = (SELECT primary_user_id FROM directory_devices WHERE id = $1)`, [t.devices[0]]],
      ['role permissions change', `UPDATE roles SET permissions = $2, admin_permissions = '{MANAGE_ROLES}' WHERE id = $1`, [t.roles[0], [P.VIEW_SCREEN]]],
      ['assignment deleted', `DELETE FROM role_assignments WHERE id = $1`, [t.assignments[2]]],
      ['Remote Help disabled', `UPDATE directory_tenants SET remote_help_enabled = false, settings_version = settings_version + 1 WHERE id = $1`, [t.tenantId]],
      ['the admin leaves the admin group', `DELETE FROM directory_group_users WHERE user_id = $1`, [t.adminUserId]],
    ];
    for (const [what, sql, params] of changes) {
      const before = JSON.stringify(await cached.decisionFactsAndCallerPermissions(q, t.adminUserId));
      const r = await other.query(sql, params);
      expect(r.rowCount).toBeGreaterThan(0);
      await convergence(what, q, t.adminUserId);
      expect(JSON.stringify(await cached.decisionFactsAndCallerPermissions(q, t.adminUserId))).not.toBe(before);
      if (what === 'helper leaves a group') {
        // A user's change forgets that user only: the device and the tenant stay in memory.
        expect(cache.device(t.devices[0])).toBeDefined();
        expect(cache.tenant(t.tenantId)).toBeDefined();
      }
    }
    await expectSameAnswers(t);
  });

  it('forget the whole tenant after a bulk change of more than 100 members', async () => {
    const t = await seedTenant();
    await expectSameAnswers(t);
    expect(cache.device(t.devices[1])).toBeDefined();
    const ids = Array.from({ length: 150 }, () => randomUUID());
    await other.query(`INSERT INTO directory_group_users (group_id, user_id, tenant_id) SELECT $1, u, $2 FROM unnest($3::uuid[]) AS u`, [t.groups[0], t.tenantId, ids]);
    await waitFor('the tenant to be forgotten', () => cache.device(t.devices[1]) === undefined);
    expect(cache.tenant(t.tenantId)).toBeUndefined();
    await expectSameAnswers(t);
  });

  it('read the database while the change feed is down, and cache again once it is back', async () => {
    const t = await seedTenant();
    await expectSameAnswers(t);
    await other.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'rbac-access-facts' AND datname = current_database()`);
    await waitFor('the cache to stop answering', () => !cache.live);
    expect(cache.size).toBe(0);
    // A change made while nobody listens is seen at once (from the database)...
    await other.query(`DELETE FROM directory_group_users WHERE tenant_id = $1 AND user_id = $2`, [t.tenantId, t.users[2]]);
    await expectSameAnswers(t);
    // ...and after the listener is back, the cache starts from nothing and agrees again.
    await waitFor('the change feed to be back', () => cache.live);
    await expectSameAnswers(t, 2);
    expect(cache.size).toBeGreaterThan(0);
  });
});
