import type { TenantAssignmentRow } from './access-facts.cache';
import { assignmentsHeldBy, FactsCache, indexedAssignments } from './access-facts.cache';
import type { DeviceRow, TenantRow, UserRow } from './decision-facts';

const T1 = '11111111-1111-1111-1111-111111111111';
const T2 = '22222222-2222-2222-2222-222222222222';

const user = (id: string, tenantId = T1, groups: string[] = ['g1']): UserRow => ({ id, tenant_id: tenantId, user_principal_name: `${id}@x.com`, display_name: id, licenses: [], group_ids: groups });
const device = (id: string, tenantId = T1): DeviceRow => ({
  id,
  tenant_id: tenantId,
  display_name: id,
  platform: 'WINDOWS',
  os_version: '10',
  manufacturer: null,
  enrolled: true,
  entra_registered: true,
  compliance: 'COMPLIANT',
  primary_user_id: null,
  version: 1,
  group_ids: ['g2'],
});
const tenant = (id = T1): TenantRow => ({ id, display_name: 'T', cloud: 'COMMERCIAL', remote_help_enabled: true, allow_unenrolled_devices: false, chat_disabled: false, settings_version: 1 });
const assignment = (id: string, admin: string[]): TenantAssignmentRow => ({
  id,
  permissions: ['VIEW_SCREEN'],
  admin_permissions: [],
  admin_group_ids: admin,
  scope_group_ids: ['s'],
  scope_all_users: false,
  scope_all_devices: false,
  approval_required_for: [],
  approver_group_ids: [],
});

function liveCache(max = 10) {
  const c = new FactsCache(max);
  c.setLive(true);
  return c;
}

describe('FactsCache', () => {
  it('answers what was put, by id in any case', () => {
    const c = liveCache();
    c.putUser(user('U1'), c.ticket());
    c.putDevice(device('d1'), c.ticket());
    c.putTenant(tenant(), [assignment('a1', ['g1'])], c.ticket());
    expect(c.user('u1')).toEqual(user('U1'));
    expect(c.device('D1')).toEqual(device('d1'));
    expect(c.tenant(T1)?.tenant).toEqual(tenant());
    expect(c.user('u2')).toBeUndefined();
    expect(c.size).toBe(3);
  });

  it('answers nothing and keeps nothing until the change feed is live, and forgets all when it drops', () => {
    const c = new FactsCache(10);
    expect(c.live).toBe(false);
    c.putUser(user('u1'), c.ticket());
    expect(c.user('u1')).toBeUndefined();
    c.setLive(true);
    c.putUser(user('u1'), c.ticket());
    expect(c.user('u1')).toBeDefined();
    c.setLive(false);
    expect(c.user('u1')).toBeUndefined();
    c.setLive(true);
    expect(c.user('u1')).toBeUndefined();
  });

  it('is off with 0 entries, even when live', () => {
    const c = liveCache(0);
    expect(c.live).toBe(false);
    c.putUser(user('u1'), c.ticket());
    expect(c.user('u1')).toBeUndefined();
  });

  it("forgets a tenant's entries when it changes, and only that tenant's", () => {
    const c = liveCache();
    c.putUser(user('u1', T1), c.ticket());
    c.putUser(user('u2', T2), c.ticket());
    c.putDevice(device('d1', T1), c.ticket());
    c.putTenant(tenant(T1), [], c.ticket());
    c.notice(`t:${T1.toUpperCase()}`);
    expect(c.user('u1')).toBeUndefined();
    expect(c.device('d1')).toBeUndefined();
    expect(c.tenant(T1)).toBeUndefined();
    expect(c.user('u2')).toBeDefined();
    // read again after the change: kept
    c.putUser(user('u1', T1), c.ticket());
    expect(c.user('u1')).toBeDefined();
  });

  it('keeps nothing read by a load that a change of its tenant overtook', () => {
    const c = liveCache();
    const before = c.ticket();
    c.tenantChanged(T1);
    c.putUser(user('u1', T1), before); // read before the change was heard: may be stale
    c.putUser(user('u2', T2), before); // another tenant's: fine
    expect(c.user('u1')).toBeUndefined();
    expect(c.user('u2')).toBeDefined();
    const after = c.ticket();
    c.putUser(user('u1', T1), after);
    expect(c.user('u1')).toBeDefined();
  });

  it('forgets just the user or device a notice names', () => {
    const c = liveCache();
    c.putUser(user('u1'), c.ticket());
    c.putUser(user('u2'), c.ticket());
    c.putDevice(device('d1'), c.ticket());
    c.putDevice(device('u1'), c.ticket()); // a device with the same id as a user: not the user
    c.putTenant(tenant(), [], c.ticket());
    c.notice('u:U1');
    expect(c.user('u1')).toBeUndefined();
    expect(c.device('u1')).toBeDefined();
    expect(c.user('u2')).toBeDefined();
    expect(c.tenant(T1)).toBeDefined();
    c.notice('d:d1');
    expect(c.device('d1')).toBeUndefined();
    expect(c.user('u2')).toBeDefined();
  });

  it('keeps no user or device read by a load that a change of it overtook', () => {
    const c = liveCache();
    const before = c.ticket();
    c.notice('u:u1');
    c.notice('d:d1');
    c.putUser(user('u1'), before);
    c.putDevice(device('d1'), before);
    c.putUser(user('u2'), before); // not changed: kept
    expect(c.user('u1')).toBeUndefined();
    expect(c.device('d1')).toBeUndefined();
    expect(c.user('u2')).toBeDefined();
    c.putUser(user('u1'), c.ticket());
    expect(c.user('u1')).toBeDefined();
  });

  it('bounds what it remembers of changes: past the bound, no load that started before is kept', () => {
    const c = liveCache(10); // remembers 1,000 changed entities
    const before = c.ticket();
    for (let i = 0; i <= 1000; i++) c.notice(`u:x${i}`);
    c.putUser(user('u1'), before);
    expect(c.user('u1')).toBeUndefined();
    c.putUser(user('u1'), c.ticket());
    expect(c.user('u1')).toBeDefined();
  });

  it('forgets everything on a notice it does not understand', () => {
    const c = liveCache();
    c.putUser(user('u1'), c.ticket());
    const before = c.ticket();
    c.notice('something else');
    expect(c.user('u1')).toBeUndefined();
    c.putUser(user('u1'), before);
    expect(c.user('u1')).toBeUndefined();
  });

  it('keeps nothing read by a load that a reset overtook', () => {
    const c = liveCache();
    const before = c.ticket();
    c.clear();
    c.putUser(user('u1'), before);
    expect(c.user('u1')).toBeUndefined();
  });

  it('drops the least recently used user or device beyond maxEntries', () => {
    const c = liveCache(2);
    c.putUser(user('u1'), c.ticket());
    c.putUser(user('u2'), c.ticket());
    expect(c.user('u1')).toBeDefined(); // u1 is now the most recent
    c.putUser(user('u3'), c.ticket());
    expect(c.user('u2')).toBeUndefined();
    expect(c.user('u1')).toBeDefined();
    expect(c.user('u3')).toBeDefined();
    // devices have their own room
    c.putDevice(device('d1'), c.ticket());
    expect(c.user('u1')).toBeDefined();
    expect(c.device('d1')).toBeDefined();
  });

  it('never drops an entry used at least once every half of maxEntries, and drops the ones left unused', () => {
    const c = liveCache(100);
    c.putUser(user('hot'), c.ticket());
    for (let i = 0; i < 1000; i++) {
      c.putUser(user(`u${i}`), c.ticket());
      if (i % 50 === 49) expect(c.user('hot')).toBeDefined();
    }
    expect(c.user('hot')).toBeDefined();
    expect(c.user('u0')).toBeUndefined();
    expect(c.user('u899')).toBeUndefined();
    expect(c.user('u999')).toBeDefined();
    expect(c.size).toBe(100);
  });

  it("marks the writer's tenant changed once its write is over, committed or not", async () => {
    const c = liveCache();
    c.putUser(user('u1'), c.ticket());
    await expect(c.changedBy(T1, Promise.resolve(7))).resolves.toBe(7);
    expect(c.user('u1')).toBeUndefined();
    c.putUser(user('u1'), c.ticket());
    await expect(c.changedBy(T1, Promise.reject(new Error('rolled back')))).rejects.toThrow('rolled back');
    expect(c.user('u1')).toBeUndefined();
  });
});

describe('assignmentsHeldBy', () => {
  const all = [assignment('a1', ['g1']), assignment('a2', ['g2', 'g1']), assignment('a3', ['g3']), assignment('a4', ['g2'])];
  const entry = indexedAssignments(all);

  it('gives the assignments whose admin groups overlap the groups, oldest first, each once', () => {
    expect(assignmentsHeldBy(entry, ['g2', 'g1']).map((a) => a.id)).toEqual(['a1', 'a2', 'a4']);
    expect(assignmentsHeldBy(entry, ['g3']).map((a) => a.id)).toEqual(['a3']);
    expect(assignmentsHeldBy(entry, ['g9'])).toEqual([]);
    expect(assignmentsHeldBy(entry, [])).toEqual([]);
  });

  it('matches the overlap test on every subset of groups', () => {
    const groups = ['g1', 'g2', 'g3', 'g9'];
    for (let mask = 0; mask < 1 << groups.length; mask++) {
      const held = groups.filter((_, i) => mask & (1 << i));
      const expected = all.filter((a) => a.admin_group_ids.some((g) => held.includes(g)));
      expect(assignmentsHeldBy(entry, held)).toEqual(expected);
    }
  });
});
