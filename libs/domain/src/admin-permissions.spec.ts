import { effectiveAdminPermissions, userRemoteHelpPermissions } from './admin-permissions';
import { AdminPermission as A, RemoteHelpPermission as P } from './permissions';
import type { DecisionAssignment } from './scope';

const rh = (id: string, permissions: P[], adminGroupIds: string[], scope: Partial<DecisionAssignment> = {}): DecisionAssignment => ({
  id,
  permissions,
  adminGroupIds,
  scopeGroupIds: [],
  scopeAllUsers: false,
  scopeAllDevices: false,
  ...scope,
});

describe('effectiveAdminPermissions', () => {
  const assignments = [
    { adminGroupIds: ['admins'], adminPermissions: [A.TERMINATE_SESSIONS, A.MANAGE_SETTINGS] },
    { adminGroupIds: ['auditors', 'admins'], adminPermissions: [A.READ_AUDIT_LOG, A.MANAGE_SETTINGS] },
    { adminGroupIds: ['directory'], adminPermissions: [A.MANAGE_DIRECTORY] },
    { adminGroupIds: [], adminPermissions: [A.MANAGE_ROLES] },
  ];

  it('unites the admin permissions of the assignments whose admin groups contain the user, in enum order', () => {
    expect(effectiveAdminPermissions(['admins'], assignments)).toEqual([A.MANAGE_SETTINGS, A.READ_AUDIT_LOG, A.TERMINATE_SESSIONS]);
    expect(effectiveAdminPermissions(['auditors', 'directory'], assignments)).toEqual([A.MANAGE_SETTINGS, A.MANAGE_DIRECTORY, A.READ_AUDIT_LOG]);
  });

  it('gives nothing to a user in no admin group, and nothing through an assignment with no admin group', () => {
    expect(effectiveAdminPermissions([], assignments)).toEqual([]);
    expect(effectiveAdminPermissions(['helpers'], assignments)).toEqual([]);
  });

  it('ignores scope: admin permissions are tenant-wide', () => {
    const scoped = [{ ...rh('x', [], ['admins'], { scopeGroupIds: ['nothing'] }), adminPermissions: [A.READ_REPORTS] }];
    expect(effectiveAdminPermissions(['admins'], scoped)).toEqual([A.READ_REPORTS]);
  });
});

describe('userRemoteHelpPermissions', () => {
  it('unites the permissions of the held assignments, with implications, regardless of scope', () => {
    const assignments = [
      rh('a', [P.ELEVATION], ['g1'], { scopeGroupIds: ['devicesA'] }),
      rh('b', [P.OFFER_REMOTE_ASSISTANCE], ['g2'], { scopeAllUsers: true }),
      rh('c', [P.UNATTENDED_CONTROL], ['g3'], { scopeAllDevices: true }),
    ];
    expect(userRemoteHelpPermissions(['g1', 'g2'], assignments)).toEqual([P.VIEW_SCREEN, P.TAKE_FULL_CONTROL, P.ELEVATION, P.OFFER_REMOTE_ASSISTANCE]);
    expect(userRemoteHelpPermissions(['g3'], assignments)).toEqual([P.VIEW_SCREEN, P.TAKE_FULL_CONTROL, P.ELEVATION, P.UNATTENDED_CONTROL]);
    expect(userRemoteHelpPermissions(['other'], assignments)).toEqual([]);
  });
});
