import { createInternalTokenSigner, SERVICE_ISSUER } from '@remote-help/auth';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorCodes, eventually, gql, gqlOk, newTenant, serviceUrls } from './support/client';
import { assignRole, checkAccess, createDevice, createGroup, createUser, enableRemoteHelp, helpDesk, roleId, type Tenant } from './support/fixtures';

/**
 * rbac-service through the gateway: roles, role assignments, the access decision and the
 * refusals, with real tokens, across tenants. The directory it decides on comes from
 * tenant-service's events, so a decision right after a directory change is read with
 * `eventually`.
 */

const ALL_FIVE = ['VIEW_SCREEN', 'TAKE_FULL_CONTROL', 'ELEVATION', 'UNATTENDED_CONTROL', 'OFFER_REMOTE_ASSISTANCE'];
const ROLE_FIELDS = 'id displayName description builtIn permissions effectivePermissions adminPermissions';

const CREATE_ROLE = `mutation ($input: CreateRoleInput!) { createRole(input: $input) { ${ROLE_FIELDS} } }`;
const UPDATE_ROLE = `mutation ($id: ID!, $input: UpdateRoleInput!) { updateRole(id: $id, input: $input) { ${ROLE_FIELDS} } }`;
const DELETE_ROLE = 'mutation ($id: ID!) { deleteRole(id: $id) }';
const CREATE_ASSIGNMENT = `mutation ($input: CreateRoleAssignmentInput!) {
  createRoleAssignment(input: $input) { id displayName description builtIn role { id displayName } adminGroups { id } scopeGroups { id } scopeAllUsers scopeAllDevices } }`;
const DELETE_ASSIGNMENT = 'mutation ($id: ID!) { deleteRoleAssignment(id: $id) }';

type Role = { id: string; displayName: string; builtIn: boolean; permissions: string[]; effectivePermissions: string[]; adminPermissions: string[] };

async function roles(t: Tenant): Promise<Role[]> {
  return (await gqlOk<{ roles: Role[] }>(`{ roles { ${ROLE_FIELDS} } }`, {}, t.adminToken)).roles;
}

/** The built-in assignment's admin group: "Remote Help Administrators", made by `rh tenant create`. */
async function adminGroupId(t: Tenant): Promise<string> {
  const { roleAssignments } = await gqlOk<{ roleAssignments: { builtIn: boolean; adminGroups: { id: string }[] }[] }>('{ roleAssignments { builtIn adminGroups { id } } }', {}, t.adminToken);
  return roleAssignments.find((a) => a.builtIn)!.adminGroups[0].id;
}

async function createRole(t: Tenant, input: Record<string, unknown>, token = t.adminToken) {
  return gql<{ createRole: Role }>(CREATE_ROLE, { input: { permissions: [], ...input } }, token);
}

describe('rbac: a new tenant', () => {
  it('has the built-in roles and the built-in assignment of its first administrators', async () => {
    const t = newTenant();
    const { tenant } = await gqlOk<{ tenant: any }>(
      `{ tenant {
          roles { displayName builtIn permissions effectivePermissions adminPermissions assignments { displayName } }
          roleAssignments { displayName builtIn role { displayName } adminGroups { id } scopeGroups { id } scopeAllUsers scopeAllDevices }
      } }`,
      {},
      t.adminToken,
    );
    expect(tenant.roles.map((r: Role) => r.displayName)).toEqual(['Help Desk Operator', 'Remote Help Administrator']);
    expect(tenant.roles[0]).toMatchObject({ builtIn: true, permissions: ALL_FIVE, effectivePermissions: ALL_FIVE, adminPermissions: [], assignments: [] });
    expect(tenant.roles[1]).toMatchObject({ builtIn: true, permissions: [], assignments: [{ displayName: 'Remote Help Administrators' }] });
    expect(tenant.roles[1].adminPermissions).toHaveLength(6);
    expect(tenant.roleAssignments).toEqual([
      {
        displayName: 'Remote Help Administrators',
        builtIn: true,
        role: { displayName: 'Remote Help Administrator' },
        adminGroups: [{ id: expect.any(String) }],
        scopeGroups: [],
        scopeAllUsers: true,
        scopeAllDevices: true,
      },
    ]);
    // the first administrator holds the admin role at once, but no Remote Help permission
    const { me } = await gqlOk<{ me: { effectiveRemoteHelpPermissions: string[] } }>('{ me { effectiveRemoteHelpPermissions } }', {}, t.adminToken);
    expect(me.effectiveRemoteHelpPermissions).toEqual([]);
  });
});

describe('rbac: roles', () => {
  let t: Tenant;
  beforeAll(() => {
    t = newTenant();
  });

  it('creates, reads, updates and deletes a custom role', async () => {
    const created = await createRole(t, { displayName: '  Tier 1  ', description: 'First line', permissions: ['TAKE_FULL_CONTROL', 'OFFER_REMOTE_ASSISTANCE'] });
    expect(created.body.errors).toBeUndefined();
    const role = created.body.data!.createRole;
    expect(role).toMatchObject({
      displayName: 'Tier 1',
      description: 'First line',
      builtIn: false,
      permissions: ['TAKE_FULL_CONTROL', 'OFFER_REMOTE_ASSISTANCE'],
      effectivePermissions: ['VIEW_SCREEN', 'TAKE_FULL_CONTROL', 'OFFER_REMOTE_ASSISTANCE'],
      adminPermissions: [],
    });
    expect((await gqlOk<{ role: Role }>(`query ($id: ID!) { role(id: $id) { ${ROLE_FIELDS} } }`, { id: role.id }, t.adminToken)).role).toEqual(role);
    expect((await roles(t)).map((r) => r.displayName)).toEqual(['Help Desk Operator', 'Remote Help Administrator', 'Tier 1']);

    const updated = await gqlOk<{ updateRole: Role }>(UPDATE_ROLE, { id: role.id, input: { displayName: 'Tier 2', permissions: ['ELEVATION'], adminPermissions: ['READ_REPORTS'] } }, t.adminToken);
    expect(updated.updateRole).toMatchObject({
      displayName: 'Tier 2',
      description: 'First line',
      permissions: ['ELEVATION'],
      effectivePermissions: ['VIEW_SCREEN', 'TAKE_FULL_CONTROL', 'ELEVATION'],
      adminPermissions: ['READ_REPORTS'],
    });
    const cleared = await gqlOk<{ updateRole: Role }>(UPDATE_ROLE, { id: role.id, input: { description: null } }, t.adminToken);
    expect(cleared.updateRole).toMatchObject({ displayName: 'Tier 2', description: null, permissions: ['ELEVATION'] });

    expect((await gqlOk<{ deleteRole: boolean }>(DELETE_ROLE, { id: role.id }, t.adminToken)).deleteRole).toBe(true);
    expect((await gqlOk<{ role: Role | null }>('query ($id: ID!) { role(id: $id) { id } }', { id: role.id }, t.adminToken)).role).toBeNull();
    expect(errorCodes(await gql(DELETE_ROLE, { id: role.id }, t.adminToken))).toEqual(['NOT_FOUND']);
  });

  it('refuses to edit or delete a built-in role, and changes nothing', async () => {
    const before = await roles(t);
    for (const r of before.filter((x) => x.builtIn)) {
      const edit = await gql(UPDATE_ROLE, { id: r.id, input: { displayName: 'Mine now', permissions: [] } }, t.adminToken);
      expect(errorCodes(edit)).toEqual(['FORBIDDEN']);
      expect(edit.body.errors![0].message).toMatch(/built-in role and cannot be edited/);
      const del = await gql(DELETE_ROLE, { id: r.id }, t.adminToken);
      expect(errorCodes(del)).toEqual(['FORBIDDEN']);
      expect(del.body.errors![0].message).toMatch(/built-in role and cannot be deleted/);
    }
    expect(await roles(t)).toEqual(before);
  });

  it('refuses an empty or blank role name with BAD_USER_INPUT', async () => {
    for (const displayName of ['', '   ']) {
      const r = await createRole(t, { displayName, permissions: ['VIEW_SCREEN'] });
      expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
      expect(r.body.errors![0].message).toMatch(/needs a name/);
    }
    const role = (await createRole(t, { displayName: 'Blank later' })).body.data!.createRole;
    expect(errorCodes(await gql(UPDATE_ROLE, { id: role.id, input: { displayName: ' ' } }, t.adminToken))).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a duplicate role name, whatever its case, with CONFLICT', async () => {
    expect((await createRole(t, { displayName: 'Night shift' })).body.errors).toBeUndefined();
    const dup = await createRole(t, { displayName: 'NIGHT SHIFT' });
    expect(errorCodes(dup)).toEqual(['CONFLICT']);
    expect(dup.body.errors![0].message).toMatch(/already exists/);
    expect(errorCodes(await createRole(t, { displayName: 'help desk operator' }))).toEqual(['CONFLICT']);
    const other = (await createRole(t, { displayName: 'Day shift' })).body.data!.createRole;
    expect(errorCodes(await gql(UPDATE_ROLE, { id: other.id, input: { displayName: 'Night Shift' } }, t.adminToken))).toEqual(['CONFLICT']);
  });

  it('refuses a permission name outside the enum (GraphQL itself)', async () => {
    const r = await createRole(t, { displayName: 'Pilot', permissions: ['FLY_THE_PLANE'] });
    expect(r.body.data ?? null).toBeNull();
    expect(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']).toContain(errorCodes(r)[0]);
    expect((await roles(t)).some((x) => x.displayName === 'Pilot')).toBe(false);
  });

  it('refuses to delete a role that still has assignments (CONFLICT), then deletes it once they are gone', async () => {
    const role = (await createRole(t, { displayName: 'Assigned', permissions: ['VIEW_SCREEN', 'OFFER_REMOTE_ASSISTANCE'] })).body.data!.createRole;
    const group = await adminGroupId(t);
    const a = await gqlOk<{ createRoleAssignment: any }>(CREATE_ASSIGNMENT, { input: { roleId: role.id, displayName: 'Admins view', adminGroupIds: [group], scopeGroupIds: [], scopeAllDevices: true } }, t.adminToken);
    expect(a.createRoleAssignment).toMatchObject({
      displayName: 'Admins view',
      builtIn: false,
      role: { id: role.id, displayName: 'Assigned' },
      adminGroups: [{ id: group }],
      scopeGroups: [],
      scopeAllUsers: false,
      scopeAllDevices: true,
    });
    const del = await gql(DELETE_ROLE, { id: role.id }, t.adminToken);
    expect(errorCodes(del)).toEqual(['CONFLICT']);
    expect(del.body.errors![0].message).toMatch(/still has 1 assignment/);
    const { role: withAssignments } = await gqlOk<{ role: { assignments: { id: string }[] } }>('query ($id: ID!) { role(id: $id) { assignments { id } } }', { id: role.id }, t.adminToken);
    expect(withAssignments.assignments).toEqual([{ id: a.createRoleAssignment.id }]);
    // the admins now hold VIEW_SCREEN + OFFER_REMOTE_ASSISTANCE somewhere
    const { me } = await gqlOk<{ me: { effectiveRemoteHelpPermissions: string[] } }>('{ me { effectiveRemoteHelpPermissions } }', {}, t.adminToken);
    expect(me.effectiveRemoteHelpPermissions).toEqual(['VIEW_SCREEN', 'OFFER_REMOTE_ASSISTANCE']);

    expect((await gqlOk<{ deleteRoleAssignment: boolean }>(DELETE_ASSIGNMENT, { id: a.createRoleAssignment.id }, t.adminToken)).deleteRoleAssignment).toBe(true);
    expect((await gqlOk<{ deleteRole: boolean }>(DELETE_ROLE, { id: role.id }, t.adminToken)).deleteRole).toBe(true);
  });
});

describe('rbac: role assignments', () => {
  let t: Tenant;
  let other: Tenant;
  let helpDeskOperator: string;
  beforeAll(async () => {
    t = newTenant();
    other = newTenant();
    helpDeskOperator = await roleId(t, 'Help Desk Operator');
  });

  const assign = (input: Record<string, unknown>, token = t.adminToken) => gql(CREATE_ASSIGNMENT, { input: { roleId: helpDeskOperator, displayName: 'Helpers', scopeGroupIds: [], ...input } }, token);

  it('needs at least one admin group', async () => {
    const r = await assign({ adminGroupIds: [], scopeAllDevices: true });
    expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
    expect(r.body.errors![0].message).toMatch(/at least one admin group/);
  });

  it('refuses unknown, malformed and foreign group ids, naming them', async () => {
    const mine = await adminGroupId(t);
    const foreign = await adminGroupId(other);
    const unknown = '0b7e4a7c-5d38-4c56-9a53-3f1f3c1d9e00';
    for (const [input, named] of [
      [{ adminGroupIds: [unknown] }, unknown],
      [{ adminGroupIds: ['not-a-group'] }, 'not-a-group'],
      [{ adminGroupIds: [foreign] }, foreign],
      [{ adminGroupIds: [mine], scopeGroupIds: [foreign] }, foreign],
    ] as const) {
      const r = await assign(input);
      expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
      expect(r.body.errors![0].message).toContain(named);
      expect(r.body.errors![0].message).toMatch(/is not a group of this tenant/);
    }
    const { roleAssignments } = await gqlOk<{ roleAssignments: unknown[] }>('{ roleAssignments { id } }', {}, t.adminToken);
    expect(roleAssignments).toHaveLength(1);
  });

  it('refuses a role of another tenant or an unknown role as NOT_FOUND', async () => {
    const mine = await adminGroupId(t);
    expect(errorCodes(await assign({ roleId: await roleId(other, 'Help Desk Operator'), adminGroupIds: [mine] }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await assign({ roleId: 'nope', adminGroupIds: [mine] }))).toEqual(['NOT_FOUND']);
  });

  it('refuses to delete the built-in assignment', async () => {
    const { roleAssignments } = await gqlOk<{ roleAssignments: { id: string; builtIn: boolean }[] }>('{ roleAssignments { id builtIn } }', {}, t.adminToken);
    const r = await gql(DELETE_ASSIGNMENT, { id: roleAssignments.find((a) => a.builtIn)!.id }, t.adminToken);
    expect(errorCodes(r)).toEqual(['FORBIDDEN']);
    expect(r.body.errors![0].message).toMatch(/cannot be deleted/);
  });
});

describe('rbac: other tenants ids', () => {
  it('behave like unknown ids', async () => {
    const a = newTenant();
    const b = newTenant();
    const aRole = (await createRole(a, { displayName: 'Private', permissions: ['VIEW_SCREEN'] })).body.data!.createRole;
    const aAssignment = (await gqlOk<{ roleAssignments: { id: string }[] }>('{ roleAssignments { id } }', {}, a.adminToken)).roleAssignments[0].id;

    expect((await gqlOk<{ role: unknown }>('query ($id: ID!) { role(id: $id) { id } }', { id: aRole.id }, b.adminToken)).role).toBeNull();
    expect(errorCodes(await gql(UPDATE_ROLE, { id: aRole.id, input: { displayName: 'Hijacked' } }, b.adminToken))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(DELETE_ROLE, { id: aRole.id }, b.adminToken))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(DELETE_ASSIGNMENT, { id: aAssignment }, b.adminToken))).toEqual(['NOT_FOUND']);
    expect((await roles(b)).map((r) => r.displayName)).toEqual(['Help Desk Operator', 'Remote Help Administrator']);
    // checking access with another tenant's helper or device
    expect(errorCodes(await gql('query ($h: ID!, $d: ID!) { checkRemoteHelpAccess(helperId: $h, deviceId: $d, mode: VIEW_ONLY) { allowed } }', { h: a.adminUserId, d: a.adminUserId }, b.adminToken))).toEqual([
      'NOT_FOUND',
    ]);
    // a's role is untouched
    expect((await gqlOk<{ role: Role }>(`query ($id: ID!) { role(id: $id) { ${ROLE_FIELDS} } }`, { id: aRole.id }, a.adminToken)).role).toEqual(aRole);
  });
});

describe('rbac: internal endpoints', () => {
  const keysDir = () => path.join(process.env.RH_E2E_DATA_DIR!, 'keys');
  const post = async (pathname: string, body: unknown, token?: string) => {
    const res = await fetch(new URL(pathname, serviceUrls()['rbac-service']), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };

  it('answer services only, about their own tenant', async () => {
    const t = newTenant();
    const signer = createInternalTokenSigner(fs.readFileSync(path.join(keysDir(), 'service.private.pem'), 'utf8'), { issuer: SERVICE_ISSUER });
    const asService = (tenantId?: string) => signer.sign({ kind: 'service', service: 'session-service', ...(tenantId ? { tenantId } : {}) }, 'rbac-service');

    const ok = await post('/internal/admin-permissions', { tenantId: t.tenantId, userId: t.adminUserId }, await asService(t.tenantId));
    expect(ok).toEqual({ status: 200, body: { permissions: ['MANAGE_SETTINGS', 'MANAGE_DIRECTORY', 'MANAGE_ROLES', 'READ_REPORTS', 'READ_AUDIT_LOG', 'TERMINATE_SESSIONS'] } });
    expect((await post('/internal/admin-permissions', { tenantId: t.tenantId, userId: t.adminUserId })).status).toBe(401);
    expect((await post('/internal/admin-permissions', { tenantId: t.tenantId, userId: t.adminUserId }, await asService('0b7e4a7c-5d38-4c56-9a53-3f1f3c1d9e01'))).status).toBe(403);
    expect((await post('/internal/admin-permissions', { tenantId: t.tenantId }, await asService())).status).toBe(400);

    const decision = await post('/internal/access-decisions', { tenantId: t.tenantId, helperId: t.adminUserId, deviceId: '0b7e4a7c-5d38-4c56-9a53-3f1f3c1d9e00', mode: 'VIEW_ONLY' }, await asService(t.tenantId));
    expect(decision.status).toBe(200);
    expect(decision.body).toMatchObject({ decision: { allowed: false }, device: null, helper: { id: t.adminUserId, tenantId: t.tenantId } });
    expect((decision.body as { decision: { reasons: string[] } }).decision.reasons).toEqual(expect.arrayContaining(['REMOTE_HELP_DISABLED', 'HELPER_NOT_LICENSED']));
  });
});

// ------------------------------------------------------------------------------------------
// With the directory: these need tenant-service's directory and settings mutations.

describe("rbac: the seed's walkthrough", () => {
  it('custom role over a scope group, the built-in Help Desk Operator, an unlicensed helper', async () => {
    const t = newTenant();
    await enableRemoteHelp(t);
    const helper = await createUser(t, { name: 'viewer', jobTitle: 'Help desk' });
    const sharer = await createUser(t, { name: 'sharer' });
    const inScope = await createDevice(t, { primaryUserId: sharer.id });
    const outOfScope = await createDevice(t, { primaryUserId: sharer.id });
    const helpers = await createGroup(t, 'USERS', { userIds: [helper.id] });
    const scope = await createGroup(t, 'MIXED', { userIds: [sharer.id], deviceIds: [inScope] });

    // a custom role with only View screen and Offer remote assistance, over the scope group
    const viewRole = (await createRole(t, { displayName: 'View only', permissions: ['VIEW_SCREEN', 'OFFER_REMOTE_ASSISTANCE'] })).body.data!.createRole;
    await assignRole(t, { roleId: viewRole.id, adminGroupIds: [helpers], scopeGroupIds: [scope] });

    const helperToken = helper.token();
    const view = await eventually(
      () => checkAccess(t, helper.id, inScope, 'VIEW_ONLY', helperToken),
      (d) => d.allowed,
    );
    expect(view).toEqual({ allowed: true, reasons: [], grantedPermissions: ['VIEW_SCREEN', 'OFFER_REMOTE_ASSISTANCE'] });
    expect(await checkAccess(t, helper.id, inScope, 'FULL_CONTROL', helperToken)).toEqual({ allowed: false, reasons: ['MISSING_PERMISSION'], grantedPermissions: ['VIEW_SCREEN', 'OFFER_REMOTE_ASSISTANCE'] });
    expect(await checkAccess(t, helper.id, outOfScope, 'VIEW_ONLY', helperToken)).toEqual({ allowed: false, reasons: ['TARGET_OUT_OF_SCOPE'], grantedPermissions: [] });
    // an admin troubleshooting gets the same answer
    expect(await checkAccess(t, helper.id, outOfScope, 'VIEW_ONLY')).toEqual({ allowed: false, reasons: ['TARGET_OUT_OF_SCOPE'], grantedPermissions: [] });
    const { user } = await gqlOk<{ user: { effectiveRemoteHelpPermissions: string[] } }>('query ($id: ID!) { user(id: $id) { effectiveRemoteHelpPermissions } }', { id: helper.id }, t.adminToken);
    expect(user.effectiveRemoteHelpPermissions).toEqual(['VIEW_SCREEN', 'OFFER_REMOTE_ASSISTANCE']);

    // the built-in Help Desk Operator over all users and devices allows everything
    const operator = await createUser(t, { name: 'operator' });
    const operators = await createGroup(t, 'USERS', { userIds: [operator.id] });
    await assignRole(t, { roleId: await roleId(t, 'Help Desk Operator'), adminGroupIds: [operators], scopeAllUsers: true, scopeAllDevices: true });
    const full = await eventually(
      () => checkAccess(t, operator.id, outOfScope, 'FULL_CONTROL'),
      (d) => d.allowed,
    );
    expect(full).toEqual({ allowed: true, reasons: [], grantedPermissions: ALL_FIVE });
    expect((await checkAccess(t, operator.id, inScope, 'VIEW_ONLY')).allowed).toBe(true);

    // a helper with no licence is denied with HELPER_NOT_LICENSED
    const unlicensed = await createUser(t, { name: 'unlicensed', licensed: false });
    await gqlOk('mutation ($g: ID!, $u: [ID!]) { addGroupMembers(groupId: $g, userIds: $u) { id } }', { g: operators, u: [unlicensed.id] }, t.adminToken);
    const denied = await eventually(
      () => gql('query ($h: ID!, $d: ID!) { checkRemoteHelpAccess(helperId: $h, deviceId: $d, mode: VIEW_ONLY) { allowed reasons grantedPermissions } }', { h: unlicensed.id, d: inScope }, t.adminToken),
      (r) => !!r.body.data && r.body.data.checkRemoteHelpAccess.grantedPermissions.length === 5,
    );
    expect(denied.body.data!.checkRemoteHelpAccess).toEqual({ allowed: false, reasons: ['HELPER_NOT_LICENSED'], grantedPermissions: ALL_FIVE });
  });
});

describe('rbac: callers without the permission', () => {
  it('are FORBIDDEN and change nothing', async () => {
    const { t, helper, deviceId, assignmentId } = await helpDesk();
    const user = await createUser(t, { name: 'nobody' });
    const token = user.token();
    const before = await roles(t);
    const someRole = before[0].id;
    const group = await adminGroupId(t);
    for (const r of [
      await createRole(t, { displayName: 'Sneaky', permissions: ['VIEW_SCREEN'] }, token),
      await gql(UPDATE_ROLE, { id: someRole, input: { displayName: 'Sneaky' } }, token),
      await gql(DELETE_ROLE, { id: someRole }, token),
      await gql(CREATE_ASSIGNMENT, { input: { roleId: someRole, displayName: 'Sneaky', adminGroupIds: [group], scopeGroupIds: [], scopeAllDevices: true } }, token),
      await gql(DELETE_ASSIGNMENT, { id: assignmentId }, token),
    ]) {
      expect(errorCodes(r)).toEqual(['FORBIDDEN']);
      expect(r.body.errors![0].message).toMatch(/MANAGE_ROLES/);
    }
    expect(await roles(t)).toEqual(before);
    expect((await gqlOk<{ roleAssignments: { id: string }[] }>('{ roleAssignments { id } }', {}, t.adminToken)).roleAssignments.map((a) => a.id)).toContain(assignmentId);
    // nor may they check another helper's access; the helper may check their own
    const other = await gql('query ($h: ID!, $d: ID!) { checkRemoteHelpAccess(helperId: $h, deviceId: $d, mode: VIEW_ONLY) { allowed } }', { h: helper.id, d: deviceId }, token);
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
    const own = await eventually(
      () => checkAccess(t, helper.id, deviceId, 'FULL_CONTROL', helper.token()),
      (d) => d.allowed,
    );
    expect(own.allowed).toBe(true);
  });
});

describe('rbac: directory ids of another tenant', () => {
  it('are refused in assignments and decisions', async () => {
    const a = await helpDesk();
    const b = newTenant();
    const bRole = await roleId(b, 'Help Desk Operator');
    // a's groups in b's assignment
    const r = await gql(CREATE_ASSIGNMENT, { input: { roleId: bRole, displayName: 'x', adminGroupIds: [a.helpersGroupId], scopeGroupIds: [] } }, b.adminToken);
    expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
    // a's helper and device asked from b
    const d = await gql('query ($h: ID!, $d: ID!) { checkRemoteHelpAccess(helperId: $h, deviceId: $d, mode: VIEW_ONLY) { allowed } }', { h: a.helper.id, d: a.deviceId }, b.adminToken);
    expect(errorCodes(d)).toEqual(['NOT_FOUND']);
    // b's own helper asking about a's device
    const bHelper = await createUser(b, { name: 'bhelper' });
    const own = await eventually(
      () => gql('query ($h: ID!, $d: ID!) { checkRemoteHelpAccess(helperId: $h, deviceId: $d, mode: VIEW_ONLY) { allowed } }', { h: bHelper.id, d: a.deviceId }, bHelper.token()),
      // until b's copy knows the new helper, the helper is the unknown id
      (x) => (x.body.errors?.[0]?.message ?? '').includes('device'),
    );
    expect(errorCodes(own)).toEqual(['NOT_FOUND']);
    expect(own.body.errors![0].message).toMatch(/device/);
  });
});
