import { gqlOk, newTenant, tokenFor } from './client';

/**
 * Directory set-up through the public API, as an administrator would do it: users with
 * licences, devices, groups, role assignments. Every call goes through the gateway.
 */
export type Tenant = ReturnType<typeof newTenant>;

export async function enableRemoteHelp(t: Tenant, input: Record<string, boolean> = {}) {
  return gqlOk(
    'mutation ($input: UpdateRemoteHelpSettingsInput!) { updateRemoteHelpSettings(input: $input) { remoteHelpEnabled allowUnenrolledDevices chatDisabled } }',
    { input: { remoteHelpEnabled: true, ...input } },
    t.adminToken,
  );
}

let n = 0;
export async function createUser(t: Tenant, opts: { name?: string; licensed?: boolean | 'future'; jobTitle?: string } = {}) {
  const local = `${opts.name ?? 'user'}${n++}`;
  const upn = `${local}@${t.domain}`;
  const { upsertUser } = await gqlOk<{ upsertUser: { id: string } }>(
    'mutation ($input: UpsertUserInput!) { upsertUser(input: $input) { id } }',
    { input: { userPrincipalName: upn, displayName: `${local} Example`, givenName: local, surname: 'Example', jobTitle: opts.jobTitle ?? 'Engineer', companyName: 'Contoso' } },
    t.adminToken,
  );
  if (opts.licensed !== false) {
    const activeFrom = opts.licensed === 'future' ? new Date(Date.now() + 4 * 3600_000).toISOString() : new Date(Date.now() - 60_000).toISOString();
    await gqlOk('mutation ($input: AssignLicenseInput!) { assignLicense(input: $input) { id } }', { input: { userId: upsertUser.id, kind: 'REMOTE_HELP_ADDON', activeFrom } }, t.adminToken);
  }
  return { id: upsertUser.id, upn, token: () => tokenFor(t.tenantId, { user: upn }) };
}

export async function createDevice(
  t: Tenant,
  opts: Partial<{ platform: string; osVersion: string; manufacturer: string | null; enrolled: boolean; entraRegistered: boolean; compliance: string; primaryUserId: string | null; displayName: string }> = {},
) {
  const { upsertDevice } = await gqlOk<{ upsertDevice: { id: string } }>(
    'mutation ($input: UpsertDeviceInput!) { upsertDevice(input: $input) { id } }',
    {
      input: {
        displayName: opts.displayName ?? `PC-${n++}`,
        platform: opts.platform ?? 'WINDOWS',
        osVersion: opts.osVersion ?? '10.0.22631',
        manufacturer: opts.manufacturer === undefined ? 'Contoso' : opts.manufacturer,
        enrolled: opts.enrolled ?? true,
        entraRegistered: opts.entraRegistered ?? true,
        compliance: opts.compliance ?? 'COMPLIANT',
        primaryUserId: opts.primaryUserId ?? null,
      },
    },
    t.adminToken,
  );
  return upsertDevice.id;
}

export async function createGroup(t: Tenant, memberKind: 'USERS' | 'DEVICES' | 'MIXED', members: { userIds?: string[]; deviceIds?: string[] } = {}) {
  const { createGroup } = await gqlOk<{ createGroup: { id: string } }>('mutation ($input: CreateGroupInput!) { createGroup(input: $input) { id } }', { input: { displayName: `group-${n++}`, memberKind } }, t.adminToken);
  if (members.userIds?.length || members.deviceIds?.length) {
    await gqlOk('mutation ($g: ID!, $u: [ID!], $d: [ID!]) { addGroupMembers(groupId: $g, userIds: $u, deviceIds: $d) { id } }', { g: createGroup.id, u: members.userIds ?? [], d: members.deviceIds ?? [] }, t.adminToken);
  }
  return createGroup.id;
}

export async function roleId(t: Tenant, displayName: string) {
  const { roles } = await gqlOk<{ roles: { id: string; displayName: string }[] }>('{ roles { id displayName } }', {}, t.adminToken);
  const role = roles.find((r) => r.displayName === displayName);
  if (!role) throw new Error(`no role ${displayName}`);
  return role.id;
}

export async function assignRole(t: Tenant, input: { roleId: string; adminGroupIds: string[]; scopeGroupIds?: string[]; scopeAllUsers?: boolean; scopeAllDevices?: boolean }) {
  const { createRoleAssignment } = await gqlOk<{ createRoleAssignment: { id: string } }>(
    'mutation ($input: CreateRoleAssignmentInput!) { createRoleAssignment(input: $input) { id } }',
    { input: { displayName: `assignment-${n++}`, scopeGroupIds: [], ...input } },
    t.adminToken,
  );
  return createRoleAssignment.id;
}

export async function checkAccess(t: Tenant, helperId: string, deviceId: string, mode: string, token = t.adminToken) {
  const { checkRemoteHelpAccess } = await gqlOk<{ checkRemoteHelpAccess: { allowed: boolean; reasons: string[]; grantedPermissions: string[] } }>(
    'query ($h: ID!, $d: ID!, $m: SessionMode!) { checkRemoteHelpAccess(helperId: $h, deviceId: $d, mode: $m) { allowed reasons grantedPermissions } }',
    { h: helperId, d: deviceId, m: mode },
    token,
  );
  return checkRemoteHelpAccess;
}

/**
 * A ready Help Desk: Remote Help on, a licensed helper in a helpers group holding the built-in
 * Help Desk Operator role over all users and devices, a licensed sharer and their Windows PC.
 */
export async function helpDesk(opts: { tenant?: Tenant } = {}) {
  const t = opts.tenant ?? newTenant();
  await enableRemoteHelp(t);
  const helper = await createUser(t, { name: 'helper', jobTitle: 'Help desk' });
  const sharer = await createUser(t, { name: 'sharer' });
  const deviceId = await createDevice(t, { primaryUserId: sharer.id });
  const helpers = await createGroup(t, 'USERS', { userIds: [helper.id] });
  const assignmentId = await assignRole(t, { roleId: await roleId(t, 'Help Desk Operator'), adminGroupIds: [helpers], scopeAllUsers: true, scopeAllDevices: true });
  return { t, helper, sharer, deviceId, helpersGroupId: helpers, assignmentId };
}
