import type { AdminPermission, RemoteHelpPermission } from './permissions';
import { ALL_ADMIN_PERMISSIONS, ALL_REMOTE_HELP_PERMISSIONS } from './permissions';

export interface BuiltInRole {
  key: 'help-desk-operator' | 'remote-help-administrator';
  displayName: string;
  description: string;
  permissions: readonly RemoteHelpPermission[];
  adminPermissions: readonly AdminPermission[];
}

/** The roles every tenant has from its creation; neither can be edited or deleted. */
export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  {
    key: 'help-desk-operator',
    displayName: 'Help Desk Operator',
    description: 'Provides remote assistance: all five Remote Help permissions.',
    permissions: ALL_REMOTE_HELP_PERMISSIONS,
    adminPermissions: [],
  },
  {
    key: 'remote-help-administrator',
    displayName: 'Remote Help Administrator',
    description: 'Administers the tenant: settings, directory, roles, reports, audit log and sessions.',
    permissions: [],
    adminPermissions: ALL_ADMIN_PERMISSIONS,
  },
];
