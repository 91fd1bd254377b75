import { AdminPermission as A, RemoteHelpPermission as P } from '@remote-help/domain';
import { adminPermissionsOf, descriptionOf, displayNameOf, groupIdsOf, MAX_GROUPS_PER_LIST, remoteHelpPermissionsOf } from './role.rules';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as { extensions?: { code?: string } }).extensions?.code;
  }
  return 'no error';
};

describe('role input rules', () => {
  it('trims names and refuses empty or blank ones with BAD_USER_INPUT', () => {
    expect(displayNameOf('  Tier 1  ', 'role')).toBe('Tier 1');
    expect(codeOf(() => displayNameOf('', 'role'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => displayNameOf('   ', 'role'))).toBe('BAD_USER_INPUT');
    expect(() => displayNameOf(' ', 'role')).toThrow('the role needs a name (it is empty)');
    expect(codeOf(() => displayNameOf('x'.repeat(257), 'role'))).toBe('BAD_USER_INPUT');
  });

  it('keeps descriptions optional', () => {
    expect(descriptionOf(undefined, 'role')).toBeNull();
    expect(descriptionOf('  ', 'role')).toBeNull();
    expect(descriptionOf(' Tier 1 help desk ', 'role')).toBe('Tier 1 help desk');
    expect(codeOf(() => descriptionOf('x'.repeat(1025), 'role'))).toBe('BAD_USER_INPUT');
  });

  it('keeps permissions as granted, without duplicates, in the enum order', () => {
    expect(remoteHelpPermissionsOf([P.OFFER_REMOTE_ASSISTANCE, P.VIEW_SCREEN, P.VIEW_SCREEN])).toEqual([P.VIEW_SCREEN, P.OFFER_REMOTE_ASSISTANCE]);
    // as granted: no implications added here (Role.effectivePermissions shows them)
    expect(remoteHelpPermissionsOf([P.ELEVATION])).toEqual([P.ELEVATION]);
    expect(remoteHelpPermissionsOf(null)).toEqual([]);
    expect(adminPermissionsOf([A.READ_REPORTS, A.MANAGE_ROLES])).toEqual([A.MANAGE_ROLES, A.READ_REPORTS]);
    expect(adminPermissionsOf(undefined)).toEqual([]);
  });

  it('refuses names outside the enums', () => {
    expect(codeOf(() => remoteHelpPermissionsOf(['FLY']))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => adminPermissionsOf(['ROOT']))).toBe('BAD_USER_INPUT');
  });

  it('reads group ids: lower-cased, without duplicates, naming a malformed one', () => {
    const g = 'AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA';
    expect(groupIdsOf([g, g.toLowerCase()], 'admin')).toEqual([g.toLowerCase()]);
    expect(() => groupIdsOf(['not-a-group'], 'scope')).toThrow('scope group "not-a-group" is not a group of this tenant');
    expect(
      codeOf(() =>
        groupIdsOf(
          Array.from({ length: MAX_GROUPS_PER_LIST + 1 }, () => g),
          'admin',
        ),
      ),
    ).toBe('BAD_USER_INPUT');
  });
});
