import { bootstrapTenantInput } from './bootstrap-tenant';

const T = '11111111-1111-4111-8111-111111111111';
const OTHER = '99999999-9999-4999-8999-999999999999';
const U = '22222222-2222-4222-8222-222222222222';
const G = '33333333-3333-4333-8333-333333333333';

const args = () => ({
  tenant: { tenantId: T, displayName: 'Contoso', verifiedDomains: ['contoso.com'], cloud: 'COMMERCIAL', adminUserId: U, adminGroupId: G },
  settings: { tenantId: T, cloud: 'COMMERCIAL', remoteHelpEnabled: false, allowUnenrolledDevices: false, chatDisabled: false, requireReason: false, updatedAt: null, updatedBy: null, version: 1 },
  adminUser: { id: U, tenantId: T, userPrincipalName: 'admin@contoso.com', displayName: 'Admin', givenName: null, surname: null, jobTitle: null, companyName: null, profilePictureUrl: null, licenses: [], version: 1 },
  group: { id: G, tenantId: T, displayName: 'Remote Help Administrators', memberKind: 'USERS' },
  members: { groupId: G, tenantId: T, userIds: [U], deviceIds: [] },
});

describe('bootstrapTenantInput (cli.js bootstrap-tenant)', () => {
  it('takes each part as its event would carry it (ids in lower case, defaults filled in)', () => {
    const { tenant, ...rest } = args();
    const input = bootstrapTenantInput({ tenant: { ...tenant, tenantId: T.toUpperCase(), verifiedDomains: undefined }, ...rest });
    expect(input).toEqual({ ...args(), tenant: { ...tenant, verifiedDomains: [] } });
    const { members: _m, ...withoutMembers } = args();
    expect(bootstrapTenantInput(withoutMembers)).not.toHaveProperty('members');
  });

  it('gives the tenant the admin group when the tenant part names none', () => {
    expect(bootstrapTenantInput({ ...args(), tenant: { ...args().tenant, adminGroupId: null } }).tenant.adminGroupId).toBe(G);
  });

  it.each(['settings', 'adminUser', 'group', 'members'] as const)("refuses a %s part of another tenant than the tenant's", (name) => {
    const a = args();
    const part = { ...a[name], tenantId: OTHER };
    expect(() => bootstrapTenantInput({ ...a, [name]: part })).toThrow(new RegExp(`^${name}: [a-z.]+: the event's tenantId ${T} is not the data's ${OTHER}$`));
  });

  it('refuses a part that does not fit its contract, naming it', () => {
    expect(() => bootstrapTenantInput({ ...args(), group: { ...args().group, memberKind: 'PEOPLE' } })).toThrow(/^group: group\.created: memberKind: Invalid option/);
    expect(() => bootstrapTenantInput({})).toThrow(/^tenant: tenant\.created: /);
  });
});
