// Integration tests of rbac-service's local copy and decision queries against the real
// PostgreSQL (127.0.0.1:5432, user postgres), in a database of their own (dropped at the end).
import { ALL_ADMIN_PERMISSIONS, decideRemoteHelpAccess, DenialReason as R, RemoteHelpPermission as P, SessionMode } from '@remote-help/domain';
import type { GroupCreatedData, SettingsSnapshot, TenantCreatedData, UserSnapshot } from '@remote-help/events';
import { dropDatabase, openServiceDataSource } from '@remote-help/service-kit';
import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ENTITIES, MIGRATIONS } from '../data-source';
import { DirectoryStore } from '../directory/directory-store';
import { AccessDataService } from './access-data.service';
import { toDecisionInput } from './decision-facts';

const URL = `postgres://postgres@127.0.0.1:5432/rh_rbac_it_${randomBytes(4).toString('hex')}`;
jest.setTimeout(120_000);

let ds: DataSource;
const store = new DirectoryStore();
let data: AccessDataService;

beforeAll(async () => {
  ds = await openServiceDataSource({ url: URL, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 4 });
  data = new AccessDataService(ds);
});
afterAll(async () => {
  await ds?.destroy();
  await dropDatabase(URL);
});

function newTenant() {
  const tenantId = randomUUID();
  const adminUserId = randomUUID();
  const adminGroupId = randomUUID();
  const tenant: TenantCreatedData = { tenantId, displayName: 'Contoso', verifiedDomains: ['contoso.com'], cloud: 'COMMERCIAL', adminUserId, adminGroupId };
  const settings: SettingsSnapshot = { tenantId, cloud: 'COMMERCIAL', remoteHelpEnabled: false, allowUnenrolledDevices: false, chatDisabled: false, requireReason: false, updatedAt: null, updatedBy: null, version: 1 };
  const adminUser: UserSnapshot = user(tenantId, adminUserId, 'admin@contoso.com', [], 1);
  const group: GroupCreatedData = { id: adminGroupId, tenantId, displayName: 'Remote Help Administrators', memberKind: 'USERS' };
  return { tenantId, adminUserId, adminGroupId, bootstrap: { tenant, settings, adminUser, group } };
}

function user(tenantId: string, id: string, upn: string, licenses: UserSnapshot['licenses'], version: number): UserSnapshot {
  return { id, tenantId, userPrincipalName: upn, displayName: upn, givenName: null, surname: null, jobTitle: null, companyName: null, profilePictureUrl: null, licenses, version };
}

const count = async (sql: string, params: unknown[]) => Number((await ds.query(sql, params))[0].n);

describe('the local copy', () => {
  it('bootstraps a tenant once, however often it is applied', async () => {
    const t = newTenant();
    for (let i = 0; i < 3; i++) await ds.transaction((m) => store.bootstrapTenant(m, t.bootstrap));
    // the same events arriving through Kafka afterwards change nothing either
    await ds.transaction((m) => store.tenantCreated(m, t.bootstrap.tenant));
    expect(await count(`SELECT count(*) AS n FROM roles WHERE tenant_id = $1`, [t.tenantId])).toBe(2);
    expect(await count(`SELECT count(*) AS n FROM role_assignments WHERE tenant_id = $1 AND built_in_key IS NOT NULL`, [t.tenantId])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE topic = 'remote-help.rbac.v1' AND payload->>'tenantId' = $1`, [t.tenantId])).toBe(3);
    expect(await data.adminPermissions(t.tenantId, t.adminUserId)).toEqual(ALL_ADMIN_PERMISSIONS);
    expect(await data.adminPermissions(t.tenantId, randomUUID())).toEqual([]);
    // another tenant's id gives nothing
    expect(await data.adminPermissions(randomUUID(), t.adminUserId)).toEqual([]);
  });

  it('applies a snapshot only when it is newer', async () => {
    const t = newTenant();
    await ds.transaction((m) => store.bootstrapTenant(m, t.bootstrap));
    const id = randomUUID();
    const lic = [{ kind: 'INTUNE_SUITE' as const, activeFrom: '2026-01-01T00:00:00.000Z', expiresAt: null }];
    await ds.transaction((m) => store.userUpserted(m, user(t.tenantId, id, 'v2@contoso.com', lic, 2)));
    await ds.transaction((m) => store.userUpserted(m, user(t.tenantId, id, 'v1@contoso.com', [], 1)));
    await ds.transaction((m) => store.userUpserted(m, user(t.tenantId, id, 'v2-again@contoso.com', [], 2)));
    const [row] = await ds.query(`SELECT user_principal_name, licenses, version FROM directory_users WHERE id = $1`, [id]);
    expect(row).toEqual({ user_principal_name: 'v2@contoso.com', licenses: lic, version: 2 });
    // a snapshot claiming another tenant never overwrites the row
    await ds.transaction((m) => store.userUpserted(m, user(randomUUID(), id, 'stolen@evil.com', [], 9)));
    expect((await ds.query(`SELECT user_principal_name FROM directory_users WHERE id = $1`, [id]))[0].user_principal_name).toBe('v2@contoso.com');

    await ds.transaction((m) => store.settingsUpdated(m, { ...t.bootstrap.settings, remoteHelpEnabled: true, version: 3 }));
    await ds.transaction((m) => store.settingsUpdated(m, { ...t.bootstrap.settings, remoteHelpEnabled: false, version: 2 }));
    expect((await ds.query(`SELECT remote_help_enabled, settings_version FROM directory_tenants WHERE id = $1`, [t.tenantId]))[0]).toEqual({ remote_help_enabled: true, settings_version: 3 });
  });

  it('follows membership changes (admin permissions go with the group)', async () => {
    const t = newTenant();
    await ds.transaction((m) => store.bootstrapTenant(m, t.bootstrap));
    const change = { groupId: t.adminGroupId, tenantId: t.tenantId, userIds: [t.adminUserId], deviceIds: [] };
    await ds.transaction((m) => store.membersRemoved(m, change));
    await ds.transaction((m) => store.membersRemoved(m, change));
    expect(await data.adminPermissions(t.tenantId, t.adminUserId)).toEqual([]);
    await ds.transaction((m) => store.membersAdded(m, change));
    await ds.transaction((m) => store.membersAdded(m, change));
    expect(await data.adminPermissions(t.tenantId, t.adminUserId)).toEqual(ALL_ADMIN_PERMISSIONS);
  });
});

describe('decision facts', () => {
  it("loads the helper, device, primary user and the helper's assignments in one query", async () => {
    const t = newTenant();
    await ds.transaction(async (m) => {
      await store.bootstrapTenant(m, t.bootstrap);
      await store.settingsUpdated(m, { ...t.bootstrap.settings, remoteHelpEnabled: true, version: 2 });
    });
    const lic = [{ kind: 'REMOTE_HELP_ADDON' as const, activeFrom: '2026-01-01T00:00:00.000Z', expiresAt: null }];
    const [helperId, sharerId, deviceId, otherDeviceId, helpers, scope, roleId] = Array.from({ length: 7 }, () => randomUUID());
    await ds.transaction(async (m) => {
      await store.userUpserted(m, user(t.tenantId, helperId, 'helper@contoso.com', lic, 1));
      await store.userUpserted(m, user(t.tenantId, sharerId, 'sharer@contoso.com', lic, 1));
      for (const [id, primary] of [
        [deviceId, sharerId],
        [otherDeviceId, null],
      ] as const) {
        await store.deviceUpserted(m, {
          id,
          tenantId: t.tenantId,
          displayName: 'PC',
          platform: 'WINDOWS',
          osVersion: '10.0.22631',
          manufacturer: null,
          enrolled: true,
          entraRegistered: true,
          compliance: 'COMPLIANT',
          primaryUserId: primary,
          version: 1,
        });
      }
      await store.groupCreated(m, { id: helpers, tenantId: t.tenantId, displayName: 'Helpers', memberKind: 'USERS' });
      await store.groupCreated(m, { id: scope, tenantId: t.tenantId, displayName: 'Scope', memberKind: 'MIXED' });
      await store.membersAdded(m, { groupId: helpers, tenantId: t.tenantId, userIds: [helperId], deviceIds: [] });
      await store.membersAdded(m, { groupId: scope, tenantId: t.tenantId, userIds: [sharerId], deviceIds: [deviceId] });
      await m.query(`INSERT INTO roles (id, tenant_id, display_name, permissions, admin_permissions) VALUES ($1, $2, 'Viewers', $3, '{}')`, [roleId, t.tenantId, [P.VIEW_SCREEN, P.OFFER_REMOTE_ASSISTANCE]]);
      await m.query(`INSERT INTO role_assignments (id, tenant_id, role_id, display_name, admin_group_ids, scope_group_ids) VALUES ($1, $2, $3, 'Viewers', $4, $5)`, [randomUUID(), t.tenantId, roleId, [helpers], [scope]]);
    });
    const decide = async (device: string, mode: SessionMode) => {
      const facts = await data.decisionFacts({ tenantId: t.tenantId, helperId, deviceId: device });
      return { facts, decision: decideRemoteHelpAccess(toDecisionInput({ tenantId: t.tenantId, mode, now: new Date(), facts })) };
    };
    const inScope = await decide(deviceId, SessionMode.VIEW_ONLY);
    expect(inScope.facts.helper?.group_ids).toEqual([helpers]);
    expect(inScope.facts.device?.group_ids).toEqual([scope]);
    expect(inScope.facts.targetUser?.id).toBe(sharerId);
    expect(inScope.facts.assignments).toHaveLength(1); // the built-in one is the admins', not the helper's
    expect(inScope.decision).toEqual({ allowed: true, reasons: [], grantedPermissions: [P.VIEW_SCREEN, P.OFFER_REMOTE_ASSISTANCE], approvalRequiredFor: [], approvalGates: [] });
    expect((await decide(deviceId, SessionMode.FULL_CONTROL)).decision.reasons).toEqual([R.MISSING_PERMISSION]);
    expect((await decide(otherDeviceId, SessionMode.VIEW_ONLY)).decision.reasons).toEqual([R.TARGET_OUT_OF_SCOPE]);
    expect(await data.remoteHelpPermissions(t.tenantId, helperId)).toEqual([P.VIEW_SCREEN, P.OFFER_REMOTE_ASSISTANCE]);
    // an admin asking: the same facts and the admin's own permissions, in one query
    const asked = await data.decisionFactsAndCallerPermissions({ tenantId: t.tenantId, helperId, deviceId }, t.adminUserId);
    expect(asked.facts).toEqual(inScope.facts);
    expect(asked.callerAdminPermissions).toEqual(ALL_ADMIN_PERMISSIONS);
    expect((await data.decisionFactsAndCallerPermissions({ tenantId: t.tenantId, helperId, deviceId }, helperId)).callerAdminPermissions).toEqual([]);
    expect((await data.decisionFactsAndCallerPermissions({ tenantId: randomUUID(), helperId, deviceId }, t.adminUserId)).callerAdminPermissions).toEqual([]);
    // the same ids asked from another tenant find nothing of this one
    const foreign = await data.decisionFacts({ tenantId: randomUUID(), helperId, deviceId });
    expect(foreign.assignments).toEqual([]);
    expect(foreign.targetUser).toBeNull();
  });

  it('loads the right facts for each decision at 10k users, 50k devices, 1k groups and 200 assignments', async () => {
    const t = newTenant();
    await ds.transaction((m) => store.bootstrapTenant(m, t.bootstrap));
    const T = t.tenantId;
    await ds.query(`UPDATE directory_tenants SET remote_help_enabled = true WHERE id = $1`, [T]);
    await ds.query(
      `INSERT INTO directory_users (id, tenant_id, user_principal_name, display_name, licenses, version)
       SELECT gen_random_uuid(), $1, 'u' || i || '@contoso.com', 'u' || i, '[{"kind":"REMOTE_HELP_ADDON","activeFrom":"2026-01-01T00:00:00.000Z","expiresAt":null}]', 1 FROM generate_series(1, 10000) i`,
      [T],
    );
    await ds.query(`INSERT INTO directory_groups (id, tenant_id, display_name, member_kind) SELECT gen_random_uuid(), $1, 'g' || i, 'MIXED' FROM generate_series(1, 1000) i`, [T]);
    await ds.query(
      `WITH u AS (SELECT id, row_number() OVER () - 1 AS n FROM directory_users WHERE tenant_id = $1)
       INSERT INTO directory_devices (id, tenant_id, display_name, platform, os_version, manufacturer, enrolled, entra_registered, compliance, primary_user_id, version)
       SELECT gen_random_uuid(), $1, 'pc' || i, 'WINDOWS', '10.0.22631', null, true, true, 'COMPLIANT', u.id, 1 FROM generate_series(1, 50000) i JOIN u ON u.n = i % 10000`,
      [T],
    );
    // every user in 5 groups, every device in 3
    await ds.query(
      `WITH g AS (SELECT id, row_number() OVER () - 1 AS n FROM directory_groups WHERE tenant_id = $1), u AS (SELECT id, row_number() OVER () AS n FROM directory_users WHERE tenant_id = $1)
       INSERT INTO directory_group_users (group_id, user_id, tenant_id) SELECT g.id, u.id, $1 FROM u JOIN g ON g.n IN ((u.n * 7) % 1000, (u.n * 11) % 1000, (u.n * 13) % 1000, (u.n * 17) % 1000, (u.n * 19) % 1000) ON CONFLICT DO NOTHING`,
      [T],
    );
    await ds.query(
      `WITH g AS (SELECT id, row_number() OVER () - 1 AS n FROM directory_groups WHERE tenant_id = $1), d AS (SELECT id, row_number() OVER () AS n FROM directory_devices WHERE tenant_id = $1)
       INSERT INTO directory_group_devices (group_id, device_id, tenant_id) SELECT g.id, d.id, $1 FROM d JOIN g ON g.n IN ((d.n * 3) % 1000, (d.n * 5) % 1000, (d.n * 23) % 1000) ON CONFLICT DO NOTHING`,
      [T],
    );
    const roleId = randomUUID();
    await ds.query(`INSERT INTO roles (id, tenant_id, display_name, permissions, admin_permissions) VALUES ($1, $2, 'Helpers', $3, '{}')`, [roleId, T, [P.TAKE_FULL_CONTROL, P.OFFER_REMOTE_ASSISTANCE]]);
    await ds.query(
      `WITH g AS (SELECT array_agg(id) AS ids FROM directory_groups WHERE tenant_id = $1)
       INSERT INTO role_assignments (id, tenant_id, role_id, display_name, admin_group_ids, scope_group_ids, scope_all_users, scope_all_devices)
       SELECT gen_random_uuid(), $1, $2, 'a' || i, ARRAY[g.ids[1 + (i * 5) % 1000], g.ids[1 + (i * 5 + 1) % 1000]], ARRAY[g.ids[1 + (i * 7) % 1000], g.ids[1 + (i * 7 + 3) % 1000], g.ids[1 + (i * 7 + 5) % 1000]], i % 4 = 0, i % 4 = 0
       FROM generate_series(1, 199) i, g`,
      [T, roleId],
    );
    await ds.query('ANALYZE');
    const users: string[] = (await ds.query(`SELECT id FROM directory_users WHERE tenant_id = $1 ORDER BY random() LIMIT 200`, [T])).map((r: { id: string }) => r.id);
    const devices: string[] = (await ds.query(`SELECT id FROM directory_devices WHERE tenant_id = $1 ORDER BY random() LIMIT 200`, [T])).map((r: { id: string }) => r.id);
    // Each decision's facts against the tables read plainly, one fact at a time (how fast the
    // one query is at this size is `npm run bench -- access-decision`'s to judge, not a test's).
    const sorted = (ids: string[]) => [...ids].sort();
    const groupsOfUser = async (id: string) => sorted((await ds.query(`SELECT group_id FROM directory_group_users WHERE user_id = $1`, [id])).map((r: { group_id: string }) => r.group_id));
    const groupsOfDevice = async (id: string) => sorted((await ds.query(`SELECT group_id FROM directory_group_devices WHERE device_id = $1`, [id])).map((r: { group_id: string }) => r.group_id));
    const outcomes = { allowed: 0, denied: 0 };
    for (let i = 0; i < 300; i++) {
      const helperId = users[i % users.length];
      const deviceId = devices[(i * 7) % devices.length];
      const facts = await data.decisionFacts({ tenantId: T, helperId, deviceId });
      const helperGroups = await groupsOfUser(helperId);
      const [{ primary_user_id: primary }] = await ds.query(`SELECT primary_user_id FROM directory_devices WHERE id = $1`, [deviceId]);
      const assignments: string[] = (await ds.query(`SELECT id FROM role_assignments WHERE tenant_id = $1 AND admin_group_ids && $2::uuid[]`, [T, helperGroups])).map((r: { id: string }) => r.id);
      expect({ i, helper: facts.helper?.id, helperGroups: sorted(facts.helper?.group_ids ?? []) }).toEqual({ i, helper: helperId, helperGroups });
      expect({ i, device: facts.device?.id, deviceGroups: sorted(facts.device?.group_ids ?? []) }).toEqual({ i, device: deviceId, deviceGroups: await groupsOfDevice(deviceId) });
      expect({ i, targetUser: facts.targetUser?.id ?? null, targetGroups: sorted(facts.targetUser?.group_ids ?? []) }).toEqual({ i, targetUser: primary, targetGroups: primary ? await groupsOfUser(primary) : [] });
      expect({ i, assignments: sorted(facts.assignments.map((x) => x.id)) }).toEqual({ i, assignments: sorted(assignments) });
      const d = decideRemoteHelpAccess(toDecisionInput({ tenantId: T, mode: SessionMode.FULL_CONTROL, now: new Date(), facts }));
      outcomes[d.allowed ? 'allowed' : 'denied']++;
    }
    // The sample decides both ways (scoped assignments cover some pairs, not others).
    expect(outcomes.allowed).toBeGreaterThan(0);
    expect(outcomes.denied).toBeGreaterThan(0);
  });
});
