import { randomUUID } from 'node:crypto';
import { TOPICS } from '@remote-help/events';
import { errorCodes, gql, gqlOk, newTenant, rhOk, type GqlResponse, tokenFor } from './support/client';
import { PublishedEvents, type PublishedEvent } from './support/published-events';

/**
 * tenant-service through the gateway: the tenant's Remote Help settings and its directory
 * (users, licences, devices, groups), with the refusals (FORBIDDEN without the admin permission,
 * BAD_USER_INPUT, NOT_FOUND, CONFLICT), across tenants, and the events it publishes to Kafka.
 */

type Tenant = ReturnType<typeof newTenant>;

const SETTINGS = 'remoteHelpEnabled allowUnenrolledDevices chatDisabled updatedAt updatedBy { id }';
const UPDATE_SETTINGS = `mutation ($input: UpdateRemoteHelpSettingsInput!) { updateRemoteHelpSettings(input: $input) { ${SETTINGS} } }`;
const USER_FIELDS =
  'id userPrincipalName profile { givenName surname displayName jobTitle companyName verifiedDomain profilePictureUrl } licenses { kind activeFrom expiresAt } hasActiveRemoteHelpLicense groups { id displayName }';
const UPSERT_USER = `mutation ($input: UpsertUserInput!) { upsertUser(input: $input) { ${USER_FIELDS} } }`;
const ASSIGN_LICENSE = 'mutation ($input: AssignLicenseInput!) { assignLicense(input: $input) { id licenses { kind activeFrom expiresAt } hasActiveRemoteHelpLicense } }';
const DEVICE_FIELDS = 'id displayName platform osVersion manufacturer enrolled entraRegistered compliance primaryUser { id } groups { id } remoteHelpSupport { supported reason }';
const UPSERT_DEVICE = `mutation ($input: UpsertDeviceInput!) { upsertDevice(input: $input) { ${DEVICE_FIELDS} } }`;
const CREATE_GROUP = 'mutation ($input: CreateGroupInput!) { createGroup(input: $input) { id displayName memberKind users { id } devices { id } } }';
const GROUP_FIELDS = 'id displayName memberKind users { id } devices { id }';
const ADD_MEMBERS = `mutation ($g: ID!, $u: [ID!], $d: [ID!]) { addGroupMembers(groupId: $g, userIds: $u, deviceIds: $d) { ${GROUP_FIELDS} } }`;
const REMOVE_MEMBERS = `mutation ($g: ID!, $u: [ID!], $d: [ID!]) { removeGroupMembers(groupId: $g, userIds: $u, deviceIds: $d) { ${GROUP_FIELDS} } }`;

let seq = 0;
const userInput = (t: Tenant, extra: Record<string, unknown> = {}) => {
  const local = `user${seq++}`;
  return { userPrincipalName: `${local}@${t.domain}`, displayName: `${local} Example`, ...extra };
};
const deviceInput = (extra: Record<string, unknown> = {}) => ({
  displayName: `PC-${seq++}`,
  platform: 'WINDOWS',
  osVersion: '10.0.22631',
  manufacturer: 'Contoso',
  enrolled: true,
  entraRegistered: true,
  compliance: 'COMPLIANT',
  ...extra,
});

async function upsertUser(t: Tenant, input: Record<string, unknown>) {
  return (await gqlOk<{ upsertUser: any }>(UPSERT_USER, { input }, t.adminToken)).upsertUser;
}
async function upsertDevice(t: Tenant, input: Record<string, unknown>) {
  return (await gqlOk<{ upsertDevice: any }>(UPSERT_DEVICE, { input }, t.adminToken)).upsertDevice;
}
async function createGroup(t: Tenant, displayName: string, memberKind: string) {
  return (await gqlOk<{ createGroup: any }>(CREATE_GROUP, { input: { displayName, memberKind } }, t.adminToken)).createGroup;
}

function expectRefused(r: GqlResponse, code: string, message?: RegExp) {
  expect(errorCodes(r)).toEqual([code]);
  if (message) expect(r.body.errors![0].message).toMatch(message);
}

/** What tenant-service published to Kafka, read by one recorder for the whole file. */
const published = new PublishedEvents('tenant-service', [TOPICS.tenant, TOPICS.audit]);
beforeAll(() => published.start());
afterAll(() => published.stop());

/** The events tenant-service published for a tenant (type + data), oldest first. */
async function tenantEvents(tenantId: string, types?: string[]): Promise<PublishedEvent[]> {
  return published.events(TOPICS.tenant, tenantId, types);
}

async function auditRecords(tenantId: string): Promise<{ category: string; activity: string; result: string; details: string; targetId: string | null; actorId: string | null }[]> {
  return (await published.events(TOPICS.audit, tenantId)).map((e) => e.data);
}

describe('directory: a new tenant', () => {
  it('has its first administrator in the "Remote Help Administrators" users group, announced by events', async () => {
    const t = newTenant();
    const { groups, me } = await gqlOk<{ groups: any[]; me: any }>(`{ groups { ${GROUP_FIELDS} } me { id groups { displayName memberKind } } }`, {}, t.adminToken);
    expect(groups).toEqual([{ id: expect.any(String), displayName: 'Remote Help Administrators', memberKind: 'USERS', users: [{ id: t.adminUserId }], devices: [] }]);
    expect(me).toEqual({ id: t.adminUserId, groups: [{ displayName: 'Remote Help Administrators', memberKind: 'USERS' }] });

    const events = await tenantEvents(t.tenantId);
    // One event of each, each aggregate's in order (Kafka orders per aggregate, not across them).
    expect(events.map((e) => e.type).sort()).toEqual(['group.created', 'group.members.added', 'tenant.created', 'tenant.settings.updated', 'user.upserted']);
    const of = (type: string) => events.find((e) => e.type === type)!;
    expect(events.filter((e) => e.subject === t.tenantId).map((e) => e.type)).toEqual(['tenant.created', 'tenant.settings.updated']);
    expect(events.filter((e) => e.subject === groups[0].id).map((e) => e.type)).toEqual(['group.created', 'group.members.added']);
    const [created, settings, admin, group, members] = ['tenant.created', 'tenant.settings.updated', 'user.upserted', 'group.created', 'group.members.added'].map(of);
    expect(created.data).toEqual({ tenantId: t.tenantId, displayName: `Tenant ${t.domain}`, verifiedDomains: [t.domain], cloud: 'COMMERCIAL', adminUserId: t.adminUserId, adminGroupId: groups[0].id });
    expect(settings.data).toMatchObject({ tenantId: t.tenantId, cloud: 'COMMERCIAL', remoteHelpEnabled: false, version: 1 });
    expect(admin.data).toMatchObject({ id: t.adminUserId, userPrincipalName: t.adminUpn, licenses: [], version: 1 });
    expect(group.data).toEqual({ id: groups[0].id, tenantId: t.tenantId, displayName: 'Remote Help Administrators', memberKind: 'USERS' });
    expect(members.data).toEqual({ groupId: groups[0].id, tenantId: t.tenantId, userIds: [t.adminUserId], deviceIds: [] });
  });
});

describe('directory: Remote Help settings', () => {
  it('are changed by an administrator, who and when recorded, with an event and an audit record', async () => {
    const t = newTenant();
    const before = Date.now();
    const { updateRemoteHelpSettings: s } = await gqlOk<{ updateRemoteHelpSettings: any }>(UPDATE_SETTINGS, { input: { remoteHelpEnabled: true, chatDisabled: true } }, t.adminToken);
    expect(s).toMatchObject({ remoteHelpEnabled: true, allowUnenrolledDevices: false, chatDisabled: true, updatedBy: { id: t.adminUserId } });
    expect(Date.parse(s.updatedAt)).toBeGreaterThanOrEqual(before - 5000);

    // a field left out keeps its value
    const again = await gqlOk<{ updateRemoteHelpSettings: any }>(UPDATE_SETTINGS, { input: { allowUnenrolledDevices: true } }, t.adminToken);
    expect(again.updateRemoteHelpSettings).toMatchObject({ remoteHelpEnabled: true, allowUnenrolledDevices: true, chatDisabled: true });
    const { tenant } = await gqlOk<{ tenant: any }>(`{ tenant { remoteHelpSettings { ${SETTINGS} } } }`, {}, t.adminToken);
    expect(tenant.remoteHelpSettings).toMatchObject({ remoteHelpEnabled: true, allowUnenrolledDevices: true, chatDisabled: true });

    const events = await tenantEvents(t.tenantId, ['tenant.settings.updated']);
    expect(events.map((e) => [e.data.version, e.data.remoteHelpEnabled, e.data.allowUnenrolledDevices, e.data.chatDisabled, e.data.updatedBy])).toEqual([
      [1, false, false, false, null],
      [2, true, false, true, t.adminUserId],
      [3, true, true, true, t.adminUserId],
    ]);
    const audits = (await auditRecords(t.tenantId)).filter((a) => a.category === 'Settings');
    expect(audits).toEqual([
      expect.objectContaining({ activity: 'Update remote help settings', result: 'Success', actorId: t.adminUserId, targetId: t.tenantId, details: 'remoteHelpEnabled: false -> true; chatDisabled: false -> true' }),
      expect.objectContaining({ activity: 'Update remote help settings', result: 'Success', details: 'allowUnenrolledDevices: false -> true' }),
    ]);
  });

  it.each(['GCC_HIGH', 'DOD'])('cannot enable Remote Help on a %s tenant', async (cloud) => {
    const t = newTenant({ cloud });
    const r = await gql(UPDATE_SETTINGS, { input: { remoteHelpEnabled: true } }, t.adminToken);
    expectRefused(r, 'BAD_USER_INPUT', /Remote Help isn't supported on GCC High or DoD/);
    const { tenant } = await gqlOk<{ tenant: any }>(`{ tenant { cloud remoteHelpSettings { ${SETTINGS} } } }`, {}, t.adminToken);
    expect(tenant).toEqual({ cloud, remoteHelpSettings: { remoteHelpEnabled: false, allowUnenrolledDevices: false, chatDisabled: false, updatedAt: null, updatedBy: null } });
    // its other settings can still change
    const chat = await gqlOk<{ updateRemoteHelpSettings: any }>(UPDATE_SETTINGS, { input: { chatDisabled: true } }, t.adminToken);
    expect(chat.updateRemoteHelpSettings).toMatchObject({ remoteHelpEnabled: false, chatDisabled: true });
    const failures = (await auditRecords(t.tenantId)).filter((a) => a.result === 'Failure');
    expect(failures).toEqual([expect.objectContaining({ category: 'Settings', activity: 'Update remote help settings', details: expect.stringContaining('BAD_USER_INPUT') })]);
  });

  it('refuses a user without MANAGE_SETTINGS / MANAGE_DIRECTORY and changes nothing', async () => {
    const t = newTenant();
    const plain = await upsertUser(t, userInput(t));
    const token = tokenFor(t.tenantId, { user: plain.userPrincipalName });
    const group = await createGroup(t, 'Helpers', 'USERS');
    const eventsBefore = (await tenantEvents(t.tenantId)).length;

    expectRefused(await gql(UPDATE_SETTINGS, { input: { remoteHelpEnabled: true } }, token), 'FORBIDDEN', /MANAGE_SETTINGS/);
    expectRefused(await gql(UPSERT_USER, { input: userInput(t) }, token), 'FORBIDDEN', /MANAGE_DIRECTORY/);
    expectRefused(await gql(UPSERT_USER, { input: { id: plain.id, userPrincipalName: plain.userPrincipalName, displayName: 'Promoted' } }, token), 'FORBIDDEN');
    expectRefused(await gql(ASSIGN_LICENSE, { input: { userId: plain.id, kind: 'REMOTE_HELP_ADDON' } }, token), 'FORBIDDEN');
    expectRefused(await gql(UPSERT_DEVICE, { input: deviceInput() }, token), 'FORBIDDEN');
    expectRefused(await gql(CREATE_GROUP, { input: { displayName: 'Mine', memberKind: 'USERS' } }, token), 'FORBIDDEN');
    expectRefused(await gql(ADD_MEMBERS, { g: group.id, u: [plain.id] }, token), 'FORBIDDEN');
    expectRefused(await gql(REMOVE_MEMBERS, { g: group.id, u: [t.adminUserId] }, token), 'FORBIDDEN');

    // nothing changed, no event written, every refusal audited
    const { tenant, user, groups, devices } = await gqlOk<{ tenant: any; user: any; groups: any[]; devices: any[] }>(
      `query ($id: ID!) { tenant { remoteHelpSettings { remoteHelpEnabled updatedAt } } user(id: $id) { profile { displayName } licenses { kind } } groups { displayName users { id } } devices { id } }`,
      { id: plain.id },
      t.adminToken,
    );
    expect(tenant.remoteHelpSettings).toEqual({ remoteHelpEnabled: false, updatedAt: null });
    expect(user).toEqual({ profile: { displayName: plain.profile.displayName }, licenses: [] });
    expect(groups).toEqual([
      { displayName: 'Helpers', users: [] },
      { displayName: 'Remote Help Administrators', users: [{ id: t.adminUserId }] },
    ]);
    expect(devices).toEqual([]);
    expect((await tenantEvents(t.tenantId)).length).toBe(eventsBefore);
    const failures = (await auditRecords(t.tenantId)).filter((a) => a.result === 'Failure');
    expect(failures).toHaveLength(8);
    expect(failures.every((f) => f.actorId === plain.id && f.details.startsWith('FORBIDDEN'))).toBe(true);

    // but a signed-in user reads the directory (helpers look up users and devices)
    const read = await gqlOk<{ users: any[]; me: any }>('{ users { id } me { id } }', {}, token);
    expect(read.me).toEqual({ id: plain.id });
    expect(read.users.map((u) => u.id).sort()).toEqual([plain.id, t.adminUserId].sort());
  });
});

describe('directory: users and licences', () => {
  let t: Tenant;
  beforeAll(() => {
    t = newTenant();
  });

  it('creates, reads, searches and updates a user', async () => {
    const created = await upsertUser(t, {
      userPrincipalName: `ada.lovelace@${t.domain}`,
      displayName: '  Ada Lovelace ',
      givenName: 'Ada',
      surname: 'Lovelace',
      jobTitle: 'Analyst',
      companyName: 'Contoso',
      profilePictureUrl: 'https://cdn.example.com/ada.png',
    });
    expect(created).toEqual({
      id: expect.any(String),
      userPrincipalName: `ada.lovelace@${t.domain}`,
      profile: { givenName: 'Ada', surname: 'Lovelace', displayName: 'Ada Lovelace', jobTitle: 'Analyst', companyName: 'Contoso', verifiedDomain: t.domain, profilePictureUrl: 'https://cdn.example.com/ada.png' },
      licenses: [],
      hasActiveRemoteHelpLicense: false,
      groups: [],
    });

    const { user } = await gqlOk<{ user: any }>(`query ($id: ID!) { user(id: $id) { ${USER_FIELDS} } }`, { id: created.id }, t.adminToken);
    expect(user).toEqual(created);

    // search on UPN or display name, case-insensitive; first limits
    const search = async (s: string, first?: number) => (await gqlOk<{ users: any[] }>('query ($s: String, $f: Int) { users(search: $s, first: $f) { id } }', { s, f: first }, t.adminToken)).users.map((u) => u.id);
    expect(await search('LOVELACE')).toEqual([created.id]);
    expect(await search('ada.lovelace@')).toEqual([created.id]);
    expect(await search('nobody-by-that-name')).toEqual([]);
    expect(await search('%')).toEqual([]);
    expect((await search('', 1)).length).toBe(1);
    expectRefused(await gql('{ users(first: 501) { id } }', {}, t.adminToken), 'BAD_USER_INPUT', /first must be between 1 and 500/);
    expectRefused(await gql('{ users(first: 0) { id } }', {}, t.adminToken), 'BAD_USER_INPUT');

    // update: given fields change, left-out optional fields stay, null clears
    const updated = await upsertUser(t, { id: created.id, userPrincipalName: created.userPrincipalName, displayName: 'Ada King', jobTitle: null });
    expect(updated.profile).toEqual({ ...created.profile, displayName: 'Ada King', jobTitle: null });
    const events = (await tenantEvents(t.tenantId, ['user.upserted'])).filter((e) => e.subject === created.id);
    expect(events.map((e) => [e.data.version, e.data.displayName, e.data.jobTitle])).toEqual([
      [1, 'Ada Lovelace', 'Analyst'],
      [2, 'Ada King', null],
    ]);
    // an update that changes nothing writes no event
    await upsertUser(t, { id: created.id, userPrincipalName: created.userPrincipalName, displayName: 'Ada King' });
    expect((await tenantEvents(t.tenantId, ['user.upserted'])).filter((e) => e.subject === created.id)).toHaveLength(2);

    // the id in upper case names the same user, and the audit log keeps one id for it
    const shouted = await upsertUser(t, { id: created.id.toUpperCase(), userPrincipalName: created.userPrincipalName, displayName: 'Ada Byron' });
    expect(shouted).toMatchObject({ id: created.id, profile: { ...created.profile, displayName: 'Ada Byron', jobTitle: null } });
    const updates = (await auditRecords(t.tenantId)).filter((a) => a.activity === 'Update user' && a.targetId?.toLowerCase() === created.id);
    expect(updates.map((a) => a.targetId)).toEqual([created.id, created.id, created.id]);
  });

  it('refuses bad input: a UPN outside the verified domains, bad names, bad URLs', async () => {
    expectRefused(await gql(UPSERT_USER, { input: { userPrincipalName: 'eve@evil.example.org', displayName: 'Eve' } }, t.adminToken), 'BAD_USER_INPUT', /not a verified domain of this tenant/);
    expectRefused(await gql(UPSERT_USER, { input: { userPrincipalName: 'not-a-upn', displayName: 'Eve' } }, t.adminToken), 'BAD_USER_INPUT', /not a user principal name/);
    expectRefused(await gql(UPSERT_USER, { input: userInput(t, { displayName: '   ' }) }, t.adminToken), 'BAD_USER_INPUT', /displayName must not be empty/);
    expectRefused(await gql(UPSERT_USER, { input: userInput(t, { displayName: 'x'.repeat(257) }) }, t.adminToken), 'BAD_USER_INPUT', /at most 256/);
    expectRefused(await gql(UPSERT_USER, { input: userInput(t, { jobTitle: 'y'.repeat(300) }) }, t.adminToken), 'BAD_USER_INPUT', /jobTitle/);
    expectRefused(await gql(UPSERT_USER, { input: userInput(t, { displayName: 'a\u0000b' }) }, t.adminToken), 'BAD_USER_INPUT');
    expectRefused(await gql(UPSERT_USER, { input: userInput(t, { profilePictureUrl: 'javascript:alert(1)' }) }, t.adminToken), 'BAD_USER_INPUT', /profilePictureUrl/);
  });

  it('refuses a duplicate UPN in the tenant (CONFLICT), case-insensitively, but not in another tenant', async () => {
    const input = userInput(t);
    const first = await upsertUser(t, input);
    expectRefused(await gql(UPSERT_USER, { input: { ...input, userPrincipalName: input.userPrincipalName.toUpperCase() } }, t.adminToken), 'CONFLICT', /already exists/);
    // renaming another user to it is a conflict too
    const other = await upsertUser(t, userInput(t));
    expectRefused(await gql(UPSERT_USER, { input: { id: other.id, userPrincipalName: input.userPrincipalName, displayName: 'x' } }, t.adminToken), 'CONFLICT');
    // Another tenant with the same verified domain has a user of that UPN of its own.
    const adminUpn = `admin2-${seq++}@${t.domain}`;
    const second = JSON.parse(rhOk(['tenant', 'create', `--name=Second ${t.domain}`, `--domain=${t.domain}`, `--admin=${adminUpn}`])) as { tenantId: string };
    const secondToken = tokenFor(second.tenantId, { user: adminUpn });
    const theirs = (await gqlOk<{ upsertUser: any }>(UPSERT_USER, { input: { ...input, userPrincipalName: input.userPrincipalName.toUpperCase() } }, secondToken)).upsertUser;
    expect(theirs.id).not.toBe(first.id);
    expect(theirs.userPrincipalName.toLowerCase()).toBe(input.userPrincipalName.toLowerCase());
    // ... and each tenant still sees only its own.
    const read = 'query ($id: ID!) { user(id: $id) { id userPrincipalName } }';
    expect((await gqlOk<{ user: unknown }>(read, { id: first.id }, t.adminToken)).user).toEqual({ id: first.id, userPrincipalName: input.userPrincipalName });
    expect((await gqlOk<{ user: unknown }>(read, { id: first.id }, secondToken)).user).toBeNull();
    expect((await gqlOk<{ user: unknown }>(read, { id: theirs.id }, t.adminToken)).user).toBeNull();
  });

  it('refuses unknown ids and ids of another tenant', async () => {
    const other = newTenant();
    expectRefused(await gql(UPSERT_USER, { input: { ...userInput(t), id: randomUUID() } }, t.adminToken), 'NOT_FOUND');
    expectRefused(await gql(UPSERT_USER, { input: { ...userInput(t), id: other.adminUserId } }, t.adminToken), 'NOT_FOUND');
    expectRefused(await gql(UPSERT_USER, { input: { ...userInput(t), id: 'not-a-uuid' } }, t.adminToken), 'NOT_FOUND');
    expectRefused(await gql(ASSIGN_LICENSE, { input: { userId: other.adminUserId, kind: 'INTUNE_SUITE' } }, t.adminToken), 'NOT_FOUND');
    expectRefused(await gql(ASSIGN_LICENSE, { input: { userId: randomUUID(), kind: 'INTUNE_SUITE' } }, t.adminToken), 'NOT_FOUND');
    const { user, users } = await gqlOk<{ user: unknown; users: any[] }>('query ($id: ID!) { user(id: $id) { id } users(search: "admin") { id } }', { id: other.adminUserId }, t.adminToken);
    expect(user).toBeNull();
    expect(users).toEqual([{ id: t.adminUserId }]);
    // the other tenant's admin is untouched
    const theirs = await gqlOk<{ me: any }>('{ me { profile { displayName } licenses { kind } } }', {}, other.adminToken);
    expect(theirs.me).toEqual({ profile: { displayName: 'admin' }, licenses: [] });
  });

  it('assigns licences: a future activation is not active yet, an active one is; the same kind again replaces its dates', async () => {
    const u = await upsertUser(t, userInput(t));
    const future = new Date(Date.now() + 4 * 3600_000).toISOString();
    const a = (await gqlOk<{ assignLicense: any }>(ASSIGN_LICENSE, { input: { userId: u.id, kind: 'REMOTE_HELP_ADDON', activeFrom: future } }, t.adminToken)).assignLicense;
    expect(a).toEqual({ id: u.id, licenses: [{ kind: 'REMOTE_HELP_ADDON', activeFrom: future, expiresAt: null }], hasActiveRemoteHelpLicense: false });

    // the same kind again replaces its dates
    const past = new Date(Date.now() - 60_000).toISOString();
    const until = new Date(Date.now() + 365 * 86400_000).toISOString();
    const b = (await gqlOk<{ assignLicense: any }>(ASSIGN_LICENSE, { input: { userId: u.id, kind: 'REMOTE_HELP_ADDON', activeFrom: past, expiresAt: until } }, t.adminToken)).assignLicense;
    expect(b).toEqual({ id: u.id, licenses: [{ kind: 'REMOTE_HELP_ADDON', activeFrom: past, expiresAt: until }], hasActiveRemoteHelpLicense: true });

    // a user may hold several; activeFrom defaults to now
    const sentAt = Date.now();
    const c = (await gqlOk<{ assignLicense: any }>(ASSIGN_LICENSE, { input: { userId: u.id, kind: 'INTUNE_SUITE' } }, t.adminToken)).assignLicense;
    const answeredAt = Date.now();
    expect(c.licenses.map((l: any) => l.kind)).toEqual(['INTUNE_SUITE', 'REMOTE_HELP_ADDON']);
    // between the call and its answer (a second either side for the two clocks' rounding)
    expect(Date.parse(c.licenses[0].activeFrom)).toBeGreaterThanOrEqual(sentAt - 1000);
    expect(Date.parse(c.licenses[0].activeFrom)).toBeLessThanOrEqual(answeredAt + 1000);

    // an expired licence is not active
    const expired = await upsertUser(t, userInput(t));
    const d = (
      await gqlOk<{ assignLicense: any }>(
        ASSIGN_LICENSE,
        { input: { userId: expired.id, kind: 'INTUNE_SUITE', activeFrom: new Date(Date.now() - 2 * 86400_000).toISOString(), expiresAt: new Date(Date.now() - 86400_000).toISOString() } },
        t.adminToken,
      )
    ).assignLicense;
    expect(d.hasActiveRemoteHelpLicense).toBe(false);

    expectRefused(await gql(ASSIGN_LICENSE, { input: { userId: u.id, kind: 'INTUNE_SUITE', activeFrom: future, expiresAt: past } }, t.adminToken), 'BAD_USER_INPUT', /expiresAt .* must be later than activeFrom/);
    expectRefused(await gql(ASSIGN_LICENSE, { input: { userId: u.id, kind: 'OFFICE' } }, t.adminToken), 'BAD_USER_INPUT');

    // license.assigned carries the whole user with ALL of their licences, version + 1 each time
    const events = (await tenantEvents(t.tenantId, ['user.upserted', 'license.assigned'])).filter((e) => e.subject === u.id);
    expect(events.map((e) => [e.type, e.data.version, e.data.licenses.map((l: any) => l.kind)])).toEqual([
      ['user.upserted', 1, []],
      ['license.assigned', 2, ['REMOTE_HELP_ADDON']],
      ['license.assigned', 3, ['REMOTE_HELP_ADDON']],
      ['license.assigned', 4, ['INTUNE_SUITE', 'REMOTE_HELP_ADDON']],
    ]);
    expect(events[2].data.licenses[0]).toEqual({ kind: 'REMOTE_HELP_ADDON', activeFrom: past, expiresAt: until });
  });
});

describe('directory: devices', () => {
  let t: Tenant;
  beforeAll(() => {
    t = newTenant();
  });

  it('creates, reads, searches and updates devices, with their primary user and Remote Help support', async () => {
    const owner = await upsertUser(t, userInput(t));
    const pc = await upsertDevice(t, deviceInput({ displayName: 'Finance-PC-01', primaryUserId: owner.id }));
    expect(pc).toEqual({
      id: expect.any(String),
      displayName: 'Finance-PC-01',
      platform: 'WINDOWS',
      osVersion: '10.0.22631',
      manufacturer: 'Contoso',
      enrolled: true,
      entraRegistered: true,
      compliance: 'COMPLIANT',
      primaryUser: { id: owner.id },
      groups: [],
      remoteHelpSupport: { supported: true, reason: null },
    });
    const kiosk = await upsertDevice(t, deviceInput({ displayName: 'Kiosk-7', platform: 'ANDROID_DEDICATED', osVersion: '13', manufacturer: 'Lenovo', compliance: 'UNKNOWN' }));
    expect(kiosk).toMatchObject({ primaryUser: null, remoteHelpSupport: { supported: false, reason: expect.stringContaining('Samsung or Zebra') } });

    // update: manufacturer changed, primary user left out keeps; then cleared with null
    const fixed = await upsertDevice(t, { ...deviceInput({ displayName: 'Kiosk-7', platform: 'ANDROID_DEDICATED', osVersion: '13', manufacturer: 'Zebra Technologies', compliance: 'NONCOMPLIANT' }), id: kiosk.id });
    expect(fixed).toMatchObject({ id: kiosk.id, manufacturer: 'Zebra Technologies', compliance: 'NONCOMPLIANT', remoteHelpSupport: { supported: true, reason: null } });
    const unassigned = await upsertDevice(t, { ...deviceInput({ displayName: 'Finance-PC-01', osVersion: '10.0.19045' }), id: pc.id, primaryUserId: null });
    expect(unassigned).toMatchObject({ osVersion: '10.0.19045', primaryUser: null });

    const { device, devices } = await gqlOk<{ device: any; devices: any[] }>(`query ($id: ID!) { device(id: $id) { id displayName } devices(search: "finance") { id } }`, { id: pc.id }, t.adminToken);
    expect(device).toEqual({ id: pc.id, displayName: 'Finance-PC-01' });
    expect(devices).toEqual([{ id: pc.id }]);

    const events = (await tenantEvents(t.tenantId, ['device.upserted'])).filter((e) => e.subject === pc.id);
    expect(events.map((e) => [e.data.version, e.data.primaryUserId, e.data.osVersion])).toEqual([
      [1, owner.id, '10.0.22631'],
      [2, null, '10.0.19045'],
    ]);
  });

  it('refuses a primary user that is not a user of this tenant, and unknown devices', async () => {
    const other = newTenant();
    expectRefused(await gql(UPSERT_DEVICE, { input: deviceInput({ primaryUserId: other.adminUserId }) }, t.adminToken), 'BAD_USER_INPUT', new RegExp(`primaryUserId ${other.adminUserId} is not a user of this tenant`));
    expectRefused(await gql(UPSERT_DEVICE, { input: deviceInput({ primaryUserId: randomUUID() }) }, t.adminToken), 'BAD_USER_INPUT');
    expectRefused(await gql(UPSERT_DEVICE, { input: { ...deviceInput(), id: randomUUID() } }, t.adminToken), 'NOT_FOUND');
    const theirs = await upsertDevice(other, deviceInput());
    expectRefused(await gql(UPSERT_DEVICE, { input: { ...deviceInput(), id: theirs.id } }, t.adminToken), 'NOT_FOUND');
    expectRefused(await gql(UPSERT_DEVICE, { input: deviceInput({ displayName: '' }) }, t.adminToken), 'BAD_USER_INPUT');
    expectRefused(await gql(UPSERT_DEVICE, { input: deviceInput({ osVersion: 'v'.repeat(200) }) }, t.adminToken), 'BAD_USER_INPUT');
    const { device } = await gqlOk<{ device: unknown }>('query ($id: ID!) { device(id: $id) { id } }', { id: theirs.id }, t.adminToken);
    expect(device).toBeNull();
  });

  it('a dedicated device signs in and reads only itself', async () => {
    const kiosk = await upsertDevice(t, deviceInput({ platform: 'ANDROID_DEDICATED', osVersion: '14', manufacturer: 'Samsung' }));
    const pc = await upsertDevice(t, deviceInput());
    const token = tokenFor(t.tenantId, { device: kiosk.id });
    const own = await gqlOk<{ device: any; me: unknown; users: any[]; devices: any[]; groups: any[] }>(
      'query ($id: ID!) { device(id: $id) { id groups { id } remoteHelpSupport { supported } } me { id } users { id } devices { id } groups { id } }',
      { id: kiosk.id },
      token,
    );
    expect(own).toEqual({ device: { id: kiosk.id, groups: [], remoteHelpSupport: { supported: true } }, me: null, users: [], devices: [], groups: [] });
    expectRefused(await gql('query ($id: ID!) { device(id: $id) { id } }', { id: pc.id }, token), 'FORBIDDEN');
    expectRefused(await gql('query ($id: ID!) { user(id: $id) { id } }', { id: t.adminUserId }, token), 'FORBIDDEN');
    expectRefused(await gql(UPSERT_DEVICE, { input: { ...deviceInput(), id: kiosk.id } }, token), 'FORBIDDEN');
  });
});

describe('directory: groups', () => {
  let t: Tenant;
  beforeAll(() => {
    t = newTenant();
  });

  it('creates groups of users, devices or both, and changes their members', async () => {
    const [u1, u2] = [await upsertUser(t, userInput(t)), await upsertUser(t, userInput(t))];
    const d1 = await upsertDevice(t, deviceInput());
    const users = await createGroup(t, 'Tier 1 helpers', 'USERS');
    const devices = await createGroup(t, 'Kiosks', 'DEVICES');
    const mixed = await createGroup(t, 'Floor 2', 'MIXED');
    expect(users).toEqual({ id: expect.any(String), displayName: 'Tier 1 helpers', memberKind: 'USERS', users: [], devices: [] });

    const added = (await gqlOk<{ addGroupMembers: any }>(ADD_MEMBERS, { g: users.id, u: [u1.id, u2.id] }, t.adminToken)).addGroupMembers;
    expect(added.users.map((u: any) => u.id).sort()).toEqual([u1.id, u2.id].sort());
    await gqlOk(ADD_MEMBERS, { g: devices.id, d: [d1.id] }, t.adminToken);
    const both = (await gqlOk<{ addGroupMembers: any }>(ADD_MEMBERS, { g: mixed.id, u: [u1.id], d: [d1.id] }, t.adminToken)).addGroupMembers;
    expect(both).toMatchObject({ users: [{ id: u1.id }], devices: [{ id: d1.id }] });

    // adding an existing member again and removing an absent one change nothing and emit nothing for them
    const before = await tenantEvents(t.tenantId, ['group.members.added', 'group.members.removed']);
    await gqlOk(ADD_MEMBERS, { g: users.id, u: [u1.id] }, t.adminToken);
    await gqlOk(REMOVE_MEMBERS, { g: devices.id, d: [(await upsertDevice(t, deviceInput())).id] }, t.adminToken);
    expect(await tenantEvents(t.tenantId, ['group.members.added', 'group.members.removed'])).toEqual(before);
    // a partly new list names only the new member
    const u3 = await upsertUser(t, userInput(t));
    await gqlOk(ADD_MEMBERS, { g: users.id, u: [u1.id, u3.id] }, t.adminToken);
    const removed = (await gqlOk<{ removeGroupMembers: any }>(REMOVE_MEMBERS, { g: users.id, u: [u2.id, u2.id] }, t.adminToken)).removeGroupMembers;
    expect(removed.users.map((u: any) => u.id).sort()).toEqual([u1.id, u3.id].sort());
    const changes = (await tenantEvents(t.tenantId, ['group.members.added', 'group.members.removed'])).filter((e) => e.subject === users.id);
    expect(changes.map((e) => [e.type, e.data.userIds, e.data.deviceIds])).toEqual([
      ['group.members.added', expect.arrayContaining([u1.id, u2.id]), []],
      ['group.members.added', [u3.id], []],
      ['group.members.removed', [u2.id], []],
    ]);

    // reads: groups, group(id), User.groups, Device.groups
    const read = await gqlOk<{ groups: any[]; group: any; user: any; device: any }>(
      `query ($g: ID!, $u: ID!, $d: ID!) { groups { displayName } group(id: $g) { ${GROUP_FIELDS} } user(id: $u) { groups { displayName } } device(id: $d) { groups { displayName } } }`,
      { g: mixed.id, u: u1.id, d: d1.id },
      t.adminToken,
    );
    expect(read.groups.map((g) => g.displayName)).toEqual(['Floor 2', 'Kiosks', 'Remote Help Administrators', 'Tier 1 helpers']);
    expect(read.group).toEqual({ id: mixed.id, displayName: 'Floor 2', memberKind: 'MIXED', users: [{ id: u1.id }], devices: [{ id: d1.id }] });
    expect(read.user.groups.map((g: any) => g.displayName)).toEqual(['Floor 2', 'Tier 1 helpers']);
    expect(read.device.groups.map((g: any) => g.displayName)).toEqual(['Floor 2', 'Kiosks']);

    // users { groups licenses } of many users at once
    const list = await gqlOk<{ users: any[] }>('{ users { id groups { id } licenses { kind } hasActiveRemoteHelpLicense } }', {}, t.adminToken);
    expect(list.users.find((u) => u.id === u1.id).groups).toHaveLength(2);

    const created = await tenantEvents(t.tenantId, ['group.created']);
    expect(created.map((e) => e.data.displayName)).toEqual(['Remote Help Administrators', 'Tier 1 helpers', 'Kiosks', 'Floor 2']);
  });

  it('refuses a duplicate group name (CONFLICT) and a bad member kind or name', async () => {
    await createGroup(t, 'Night shift', 'USERS');
    expectRefused(await gql(CREATE_GROUP, { input: { displayName: ' night SHIFT ', memberKind: 'DEVICES' } }, t.adminToken), 'CONFLICT', /already exists/);
    expectRefused(await gql(CREATE_GROUP, { input: { displayName: 'Remote Help Administrators', memberKind: 'USERS' } }, t.adminToken), 'CONFLICT');
    expectRefused(await gql(CREATE_GROUP, { input: { displayName: '', memberKind: 'USERS' } }, t.adminToken), 'BAD_USER_INPUT');
    expectRefused(await gql(CREATE_GROUP, { input: { displayName: 'x', memberKind: 'PEOPLE' } }, t.adminToken), 'BAD_USER_INPUT');
  });

  it('refuses members of the wrong kind, unknown ids, ids of another tenant and unknown groups', async () => {
    const other = newTenant();
    const u = await upsertUser(t, userInput(t));
    const d = await upsertDevice(t, deviceInput());
    const theirDevice = await upsertDevice(other, deviceInput());
    const users = await createGroup(t, 'Users only', 'USERS');
    const devices = await createGroup(t, 'Devices only', 'DEVICES');
    const theirGroup = await createGroup(other, 'Theirs', 'MIXED');

    expectRefused(await gql(ADD_MEMBERS, { g: users.id, d: [d.id] }, t.adminToken), 'BAD_USER_INPUT', /holds users only/);
    expectRefused(await gql(ADD_MEMBERS, { g: devices.id, u: [u.id] }, t.adminToken), 'BAD_USER_INPUT', /holds devices only/);
    const unknown = randomUUID();
    expectRefused(await gql(ADD_MEMBERS, { g: users.id, u: [u.id, other.adminUserId, unknown] }, t.adminToken), 'BAD_USER_INPUT', new RegExp(`${other.adminUserId}, ${unknown} are not users of this tenant`));
    expectRefused(await gql(ADD_MEMBERS, { g: devices.id, d: [theirDevice.id] }, t.adminToken), 'BAD_USER_INPUT', new RegExp(`${theirDevice.id} is not a device of this tenant`));
    expectRefused(await gql(ADD_MEMBERS, { g: users.id, u: ['nope'] }, t.adminToken), 'BAD_USER_INPUT', /nope/);
    expectRefused(await gql(REMOVE_MEMBERS, { g: users.id, u: [other.adminUserId] }, t.adminToken), 'BAD_USER_INPUT');
    expectRefused(await gql(ADD_MEMBERS, { g: randomUUID(), u: [u.id] }, t.adminToken), 'NOT_FOUND');
    expectRefused(await gql(ADD_MEMBERS, { g: theirGroup.id, u: [u.id] }, t.adminToken), 'NOT_FOUND');
    expectRefused(await gql(REMOVE_MEMBERS, { g: theirGroup.id, u: [u.id] }, t.adminToken), 'NOT_FOUND');
    expectRefused(await gql(ADD_MEMBERS, { g: 'not-a-uuid', u: [u.id] }, t.adminToken), 'NOT_FOUND');

    // nothing changed anywhere
    const mine = await gqlOk<{ group: any; other: unknown }>(`query ($g: ID!, $o: ID!) { group(id: $g) { users { id } } other: group(id: $o) { id } }`, { g: users.id, o: theirGroup.id }, t.adminToken);
    expect(mine).toEqual({ group: { users: [] }, other: null });
    const theirs = await gqlOk<{ group: any }>(`query ($g: ID!) { group(id: $g) { users { id } devices { id } } }`, { g: theirGroup.id }, other.adminToken);
    expect(theirs.group).toEqual({ users: [], devices: [] });
  });
});
