import type { LicenseFacts } from '@remote-help/domain';
import type { LicenseKind } from '@remote-help/domain';
import { buildEvent, type DeviceSnapshot, type DirectoryEventType, type EventInput, type EventOf, type SettingsSnapshot, type UserSnapshot } from '@remote-help/events';
import { SERVICE_NAME } from '../config';
import type { DeviceEntity } from '../device/device.entity';
import type { RemoteHelpSettingsEntity } from '../tenant/remote-help-settings.entity';
import type { CloudEnvironmentValue } from '../tenant/tenant.entity';
import type { LicenseEntity } from '../user/license.entity';
import type { UserEntity } from '../user/user.entity';

/**
 * The events of tenant-service (libs/events contracts/directory-events.ts), built from the rows
 * as they are after the change. subject = the aggregate id (the tenant id for tenant and settings
 * events), so the events of one aggregate keep their order on Kafka.
 */
export function directoryEvent<T extends DirectoryEventType>(type: T, tenantId: string, subject: string, data: EventInput<T>): EventOf<T> {
  return buildEvent(type, { source: SERVICE_NAME, tenantId, subject, data });
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function settingsSnapshot(s: RemoteHelpSettingsEntity, cloud: CloudEnvironmentValue): SettingsSnapshot {
  return {
    tenantId: s.tenantId,
    cloud,
    remoteHelpEnabled: s.remoteHelpEnabled,
    allowUnenrolledDevices: s.allowUnenrolledDevices,
    chatDisabled: s.chatDisabled,
    requireReason: s.requireReason,
    updatedAt: iso(s.updatedAt),
    updatedBy: s.updatedBy,
    version: s.version,
  };
}

/** The user with ALL of their licences (sorted by kind), for user.upserted and license.assigned. */
export function userSnapshot(u: UserEntity, licenses: readonly LicenseEntity[]): UserSnapshot {
  return {
    id: u.id,
    tenantId: u.tenantId,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    givenName: u.givenName,
    surname: u.surname,
    jobTitle: u.jobTitle,
    companyName: u.companyName,
    profilePictureUrl: u.profilePictureUrl,
    licenses: [...licenses].sort((a, b) => a.kind.localeCompare(b.kind)).map((l) => ({ kind: l.kind, activeFrom: iso(l.activeFrom)!, expiresAt: iso(l.expiresAt) })),
    version: u.version,
  };
}

export function deviceSnapshot(d: DeviceEntity): DeviceSnapshot {
  return {
    id: d.id,
    tenantId: d.tenantId,
    displayName: d.displayName,
    platform: d.platform as DeviceSnapshot['platform'],
    osVersion: d.osVersion,
    manufacturer: d.manufacturer,
    enrolled: d.enrolled,
    entraRegistered: d.entraRegistered,
    compliance: d.compliance as DeviceSnapshot['compliance'],
    primaryUserId: d.primaryUserId,
    version: d.version,
  };
}

/** A licence row as the domain rules see it. */
export function licenseFacts(l: LicenseEntity): LicenseFacts {
  return { kind: l.kind as LicenseKind, activeFrom: new Date(l.activeFrom), expiresAt: l.expiresAt ? new Date(l.expiresAt) : null };
}
