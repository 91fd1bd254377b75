/**
 * Events of tenant-service on `TOPICS.tenant`: the tenant, its Remote Help settings and its
 * directory. Consumers (rbac-service, reporting-service, ...) keep local copies from them.
 *
 * Snapshot events (`*.upserted`, `tenant.settings.updated`) carry the whole current state of
 * their aggregate and a `version` that grows by one with every change, so a consumer applies one
 * only when it is newer than what it has (an event replayed out of order changes nothing).
 * Membership events carry only what changed and are applied idempotently (insert if absent /
 * delete if present). The Kafka key (`subject`) is the aggregate id, so the events of one
 * aggregate arrive in order.
 */
export const DIRECTORY_EVENTS = {
  tenantCreated: 'tenant.created',
  settingsUpdated: 'tenant.settings.updated',
  userUpserted: 'user.upserted',
  licenseAssigned: 'license.assigned',
  deviceUpserted: 'device.upserted',
  groupCreated: 'group.created',
  groupMembersAdded: 'group.members.added',
  groupMembersRemoved: 'group.members.removed',
} as const;

export type CloudEnvironmentValue = 'COMMERCIAL' | 'GCC' | 'GCC_HIGH' | 'DOD';

/** subject: tenantId. Announces the tenant with its first administrator and the group that holds the admin role. */
export interface TenantCreatedData {
  tenantId: string;
  displayName: string;
  verifiedDomains: string[];
  cloud: CloudEnvironmentValue;
  adminUserId: string;
  /** "Remote Help Administrators", a users group with the first administrator in it. */
  adminGroupId: string;
}

/** subject: tenantId. */
export interface SettingsSnapshot {
  tenantId: string;
  cloud: CloudEnvironmentValue;
  remoteHelpEnabled: boolean;
  allowUnenrolledDevices: boolean;
  chatDisabled: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
  version: number;
}

export interface LicenseSnapshot {
  kind: 'REMOTE_HELP_ADDON' | 'INTUNE_SUITE';
  activeFrom: string;
  expiresAt: string | null;
}

/** subject: userId. `user.upserted`, and `license.assigned` (same snapshot, with the licence just assigned in `licenses`). */
export interface UserSnapshot {
  id: string;
  tenantId: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  jobTitle: string | null;
  companyName: string | null;
  profilePictureUrl: string | null;
  licenses: LicenseSnapshot[];
  version: number;
}

/** subject: deviceId. */
export interface DeviceSnapshot {
  id: string;
  tenantId: string;
  displayName: string;
  platform: 'WINDOWS' | 'WINDOWS_ARM64' | 'WINDOWS_365' | 'ANDROID_DEDICATED' | 'MACOS' | 'OTHER';
  osVersion: string;
  manufacturer: string | null;
  enrolled: boolean;
  entraRegistered: boolean;
  compliance: 'COMPLIANT' | 'NONCOMPLIANT' | 'UNKNOWN';
  primaryUserId: string | null;
  version: number;
}

/** subject: groupId. */
export interface GroupCreatedData {
  id: string;
  tenantId: string;
  displayName: string;
  memberKind: 'USERS' | 'DEVICES' | 'MIXED';
}

/** subject: groupId. Only the members that changed (already-present / absent ones are left out). */
export interface GroupMembersChangedData {
  groupId: string;
  tenantId: string;
  userIds: string[];
  deviceIds: string[];
}
