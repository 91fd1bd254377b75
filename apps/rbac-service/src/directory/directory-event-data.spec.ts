import { DirectoryDataError, parseDevice, parseGroupCreated, parseMembersChanged, parseSettings, parseTenantCreated, parseUser } from './directory-event-data';

const T = '11111111-1111-4111-8111-111111111111';
const U = '22222222-2222-4222-8222-222222222222';
const G = '33333333-3333-4333-8333-333333333333';
const D = '44444444-4444-4444-8444-444444444444';

const user = {
  id: U,
  tenantId: T,
  userPrincipalName: 'ada@contoso.com',
  displayName: 'Ada',
  givenName: 'Ada',
  surname: null,
  jobTitle: null,
  companyName: 'Contoso',
  profilePictureUrl: null,
  licenses: [{ kind: 'REMOTE_HELP_ADDON', activeFrom: '2026-01-01T00:00:00Z', expiresAt: null }],
  version: 3,
};
const device = {
  id: D,
  tenantId: T,
  displayName: 'PC-1',
  platform: 'WINDOWS',
  osVersion: '10.0.22631',
  manufacturer: null,
  enrolled: true,
  entraRegistered: true,
  compliance: 'COMPLIANT',
  primaryUserId: U,
  version: 1,
};

describe('directory event data', () => {
  it('reads a tenant.created', () => {
    const d = parseTenantCreated({ tenantId: T, displayName: 'Contoso', verifiedDomains: ['contoso.com'], cloud: 'GCC', adminUserId: U, adminGroupId: G, extra: 1 }, T);
    expect(d).toEqual({ tenantId: T, displayName: 'Contoso', verifiedDomains: ['contoso.com'], cloud: 'GCC', adminUserId: U, adminGroupId: G });
  });

  it('reads a tenant.created without its admin group (older events: roles only, no built-in assignment)', () => {
    expect(parseTenantCreated({ tenantId: T, displayName: 'Contoso', cloud: 'GCC', adminUserId: U }, T).adminGroupId).toBeNull();
    expect(() => parseTenantCreated({ tenantId: T, displayName: 'Contoso', cloud: 'GCC', adminUserId: U, adminGroupId: 'x' }, T)).toThrow(/adminGroupId must be a UUID/);
  });

  it('refuses data of another tenant than the envelope', () => {
    expect(() => parseUser(user, '99999999-9999-4999-8999-999999999999')).toThrow(DirectoryDataError);
  });

  it('reads settings, with or without who changed them', () => {
    const s = { tenantId: T, cloud: 'COMMERCIAL', remoteHelpEnabled: true, allowUnenrolledDevices: false, chatDisabled: false, updatedAt: null, updatedBy: null, version: 1 };
    expect(parseSettings(s, T)).toEqual(s);
    expect(parseSettings({ ...s, updatedAt: '2026-05-01T10:00:00.000Z', updatedBy: U, version: 2 }, T).updatedBy).toBe(U);
  });

  it.each([0, -1, 1.5, '2', null])('refuses the snapshot version %p', (version) => {
    expect(() => parseSettings({ tenantId: T, cloud: 'COMMERCIAL', remoteHelpEnabled: true, allowUnenrolledDevices: false, chatDisabled: false, version }, T)).toThrow(/version/);
  });

  it('reads a user with its licences (timestamps normalised)', () => {
    const u = parseUser(user, T);
    expect(u.licenses).toEqual([{ kind: 'REMOTE_HELP_ADDON', activeFrom: '2026-01-01T00:00:00.000Z', expiresAt: null }]);
    expect(u.version).toBe(3);
  });

  it('refuses an unknown licence kind or a bad date', () => {
    expect(() => parseUser({ ...user, licenses: [{ kind: 'E5', activeFrom: '2026-01-01T00:00:00Z' }] }, T)).toThrow(/kind/);
    expect(() => parseUser({ ...user, licenses: [{ kind: 'INTUNE_SUITE', activeFrom: 'soon' }] }, T)).toThrow(/activeFrom/);
  });

  it('reads a device and refuses an unknown platform', () => {
    expect(parseDevice(device, T)).toEqual(device);
    expect(parseDevice({ ...device, primaryUserId: null }, T).primaryUserId).toBeNull();
    expect(() => parseDevice({ ...device, platform: 'LINUX' }, T)).toThrow(/platform/);
  });

  it('reads groups and membership changes (ids lower-cased, without duplicates)', () => {
    expect(parseGroupCreated({ id: G, tenantId: T, displayName: 'Helpers', memberKind: 'USERS' }, T).memberKind).toBe('USERS');
    expect(() => parseGroupCreated({ id: G, tenantId: T, displayName: 'Helpers', memberKind: 'PEOPLE' }, T)).toThrow(/memberKind/);
    const c = parseMembersChanged({ groupId: G, tenantId: T, userIds: [U, U.toUpperCase()] }, T);
    expect(c).toEqual({ groupId: G, tenantId: T, userIds: [U], deviceIds: [] });
    expect(() => parseMembersChanged({ groupId: G, tenantId: T, userIds: ['nope'] }, T)).toThrow(/userIds/);
  });
});
