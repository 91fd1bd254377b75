import { CloudEnvironment, ComplianceState, GroupMemberKind, LicenseKind, Platform } from '@remote-help/domain';
import { z } from 'zod';
import { domainEnum, id, snapshotVersion, text, time } from './schema-fields';

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

export type DirectoryEventType = (typeof DIRECTORY_EVENTS)[keyof typeof DIRECTORY_EVENTS];

/** subject: tenantId. Announces the tenant with its first administrator and the group that holds the admin role. */
export const TenantCreatedSchema = z.object({
  tenantId: id(),
  displayName: z.string(),
  /** absent in events of an older tenant-service: none */
  verifiedDomains: z.array(z.string()).default(() => []),
  cloud: domainEnum(CloudEnvironment),
  adminUserId: id(),
  /**
   * "Remote Help Administrators", a users group with the first administrator in it. Absent
   * (null) in events of an older tenant-service: then there is no built-in assignment.
   */
  adminGroupId: id().nullable().default(null),
});
export type TenantCreatedData = z.output<typeof TenantCreatedSchema>;

/** subject: tenantId. */
export const SettingsSnapshotSchema = z.object({
  tenantId: id(),
  cloud: domainEnum(CloudEnvironment),
  remoteHelpEnabled: z.boolean(),
  allowUnenrolledDevices: z.boolean(),
  chatDisabled: z.boolean(),
  /** Session requests must give a reason (absent from events of an older tenant-service: false). */
  requireReason: z.boolean().default(false),
  updatedAt: time().nullable(),
  updatedBy: id().nullable(),
  version: snapshotVersion(),
});
export type SettingsSnapshot = z.output<typeof SettingsSnapshotSchema>;

const LicenseSnapshotSchema = z.object({
  kind: domainEnum(LicenseKind),
  activeFrom: time(),
  expiresAt: time().nullable(),
});
export type LicenseSnapshot = z.output<typeof LicenseSnapshotSchema>;

/** subject: userId. `user.upserted`, and `license.assigned` (same snapshot, with the licence just assigned in `licenses`). */
export const UserSnapshotSchema = z.object({
  id: id(),
  tenantId: id(),
  userPrincipalName: text(),
  displayName: z.string(),
  givenName: z.string().nullable(),
  surname: z.string().nullable(),
  jobTitle: z.string().nullable(),
  companyName: z.string().nullable(),
  profilePictureUrl: z.string().nullable(),
  licenses: z.array(LicenseSnapshotSchema),
  version: snapshotVersion(),
});
export type UserSnapshot = z.output<typeof UserSnapshotSchema>;

/** subject: deviceId. */
export const DeviceSnapshotSchema = z.object({
  id: id(),
  tenantId: id(),
  displayName: z.string(),
  platform: domainEnum(Platform),
  osVersion: z.string(),
  manufacturer: z.string().nullable(),
  enrolled: z.boolean(),
  entraRegistered: z.boolean(),
  compliance: domainEnum(ComplianceState),
  primaryUserId: id().nullable(),
  version: snapshotVersion(),
});
export type DeviceSnapshot = z.output<typeof DeviceSnapshotSchema>;

/** subject: groupId. */
export const GroupCreatedSchema = z.object({
  id: id(),
  tenantId: id(),
  displayName: z.string(),
  memberKind: domainEnum(GroupMemberKind),
});
export type GroupCreatedData = z.output<typeof GroupCreatedSchema>;

/** A list of ids without repeats (a member named twice is one member). */
const idSet = () => z.array(id()).overwrite((ids) => [...new Set(ids)]);

/** subject: groupId. Only the members that changed (already-present / absent ones are left out). */
export const GroupMembersChangedSchema = z.object({
  groupId: id(),
  tenantId: id(),
  userIds: idSet(),
  deviceIds: idSet(),
});
export type GroupMembersChangedData = z.output<typeof GroupMembersChangedSchema>;
