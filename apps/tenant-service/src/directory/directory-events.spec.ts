import { DIRECTORY_EVENTS, type DirectoryEventType, parseEvent, TOPICS } from '@remote-help/events';
import type { DeviceEntity } from '../device/device.entity';
import type { RemoteHelpSettingsEntity } from '../tenant/remote-help-settings.entity';
import type { LicenseEntity } from '../user/license.entity';
import type { UserEntity } from '../user/user.entity';
import { deviceSnapshot, directoryEvent, licenseFacts, settingsSnapshot, userSnapshot } from './directory-events';

const T = '11111111-1111-4111-8111-111111111111';
const U = '22222222-2222-4222-8222-222222222222';

describe('directory event data', () => {
  it('settings snapshot carries the cloud and the version', () => {
    const s: RemoteHelpSettingsEntity = {
      tenantId: T,
      remoteHelpEnabled: true,
      allowUnenrolledDevices: false,
      chatDisabled: true,
      requireReason: true,
      updatedAt: new Date('2026-01-02T03:04:05Z'),
      updatedBy: U,
      version: 3,
    };
    expect(settingsSnapshot(s, 'GCC')).toEqual({
      tenantId: T,
      cloud: 'GCC',
      remoteHelpEnabled: true,
      allowUnenrolledDevices: false,
      chatDisabled: true,
      requireReason: true,
      updatedAt: '2026-01-02T03:04:05.000Z',
      updatedBy: U,
      version: 3,
    });
  });

  it('user snapshot carries all licences, sorted by kind, with ISO dates', () => {
    const u = { id: U, tenantId: T, userPrincipalName: 'ada@contoso.com', displayName: 'Ada', givenName: 'Ada', surname: null, jobTitle: null, companyName: 'Contoso', profilePictureUrl: null, version: 4 } as UserEntity;
    const l = (kind: LicenseEntity['kind'], from: string, until: string | null) =>
      ({ userId: U, tenantId: T, kind, activeFrom: new Date(from), expiresAt: until ? new Date(until) : null, assignedAt: new Date() }) as LicenseEntity;
    const snap = userSnapshot(u, [l('REMOTE_HELP_ADDON', '2026-01-01T00:00:00Z', null), l('INTUNE_SUITE', '2026-02-01T00:00:00Z', '2027-02-01T00:00:00Z')]);
    expect(snap).toEqual({
      id: U,
      tenantId: T,
      userPrincipalName: 'ada@contoso.com',
      displayName: 'Ada',
      givenName: 'Ada',
      surname: null,
      jobTitle: null,
      companyName: 'Contoso',
      profilePictureUrl: null,
      licenses: [
        { kind: 'INTUNE_SUITE', activeFrom: '2026-02-01T00:00:00.000Z', expiresAt: '2027-02-01T00:00:00.000Z' },
        { kind: 'REMOTE_HELP_ADDON', activeFrom: '2026-01-01T00:00:00.000Z', expiresAt: null },
      ],
      version: 4,
    });
    expect(licenseFacts(l('INTUNE_SUITE', '2026-02-01T00:00:00Z', null))).toEqual({ kind: 'INTUNE_SUITE', activeFrom: new Date('2026-02-01T00:00:00Z'), expiresAt: null });
  });

  it('device snapshot, and the envelope keyed by the aggregate', () => {
    const d = {
      id: U,
      tenantId: T,
      displayName: 'Kiosk',
      platform: 'ANDROID_DEDICATED',
      osVersion: '13',
      manufacturer: 'Zebra',
      enrolled: true,
      entraRegistered: true,
      compliance: 'COMPLIANT',
      primaryUserId: null,
      version: 1,
    } as DeviceEntity;
    const e = directoryEvent('device.upserted', T, d.id, deviceSnapshot(d));
    expect(e).toMatchObject({ type: 'device.upserted', source: 'tenant-service', tenantId: T, subject: U, version: 1 });
    expect(e.data).toEqual({
      id: U,
      tenantId: T,
      displayName: 'Kiosk',
      platform: 'ANDROID_DEDICATED',
      osVersion: '13',
      manufacturer: 'Zebra',
      enrolled: true,
      entraRegistered: true,
      compliance: 'COMPLIANT',
      primaryUserId: null,
      version: 1,
    });
  });

  it('makes every event type of the tenant topic so that its consumers parse it back unchanged (the same contract on both sides)', () => {
    const G = '33333333-3333-4333-8333-333333333333';
    const settings: RemoteHelpSettingsEntity = {
      tenantId: T,
      remoteHelpEnabled: true,
      allowUnenrolledDevices: false,
      chatDisabled: true,
      requireReason: true,
      updatedAt: new Date('2026-01-02T03:04:05Z'),
      updatedBy: U,
      version: 3,
    };
    const u = { id: U, tenantId: T, userPrincipalName: 'ada@contoso.com', displayName: 'Ada', givenName: 'Ada', surname: null, jobTitle: null, companyName: 'Contoso', profilePictureUrl: null, version: 4 } as UserEntity;
    const licence = { userId: U, tenantId: T, kind: 'INTUNE_SUITE', activeFrom: new Date('2026-02-01T00:00:00Z'), expiresAt: null, assignedAt: new Date() } as LicenseEntity;
    const d = {
      id: U,
      tenantId: T,
      displayName: 'Kiosk',
      platform: 'ANDROID_DEDICATED',
      osVersion: '13',
      manufacturer: 'Zebra',
      enrolled: true,
      entraRegistered: true,
      compliance: 'COMPLIANT',
      primaryUserId: null,
      version: 1,
    } as DeviceEntity;
    const members = { groupId: G, tenantId: T, userIds: [U], deviceIds: [] };
    const events = [
      directoryEvent(DIRECTORY_EVENTS.tenantCreated, T, T, { tenantId: T, displayName: 'Contoso', verifiedDomains: ['contoso.com'], cloud: 'COMMERCIAL', adminUserId: U, adminGroupId: G }),
      directoryEvent(DIRECTORY_EVENTS.settingsUpdated, T, T, settingsSnapshot(settings, 'GCC')),
      directoryEvent(DIRECTORY_EVENTS.userUpserted, T, U, userSnapshot(u, [])),
      directoryEvent(DIRECTORY_EVENTS.licenseAssigned, T, U, userSnapshot(u, [licence])),
      directoryEvent(DIRECTORY_EVENTS.deviceUpserted, T, d.id, deviceSnapshot(d)),
      directoryEvent(DIRECTORY_EVENTS.groupCreated, T, G, { id: G, tenantId: T, displayName: 'Helpers', memberKind: 'USERS' }),
      directoryEvent(DIRECTORY_EVENTS.groupMembersAdded, T, G, members),
      directoryEvent(DIRECTORY_EVENTS.groupMembersRemoved, T, G, members),
    ];
    expect(new Set(events.map((e) => e.type))).toEqual(new Set<DirectoryEventType>(Object.values(DIRECTORY_EVENTS)));
    for (const e of events) expect(parseEvent(JSON.parse(JSON.stringify(e)), TOPICS.tenant)).toEqual(e);
  });

  it('refuses to make an event whose data does not fit its contract', () => {
    const d = {
      id: U,
      tenantId: T,
      displayName: 'Kiosk',
      platform: 'AMIGA',
      osVersion: '13',
      manufacturer: null,
      enrolled: true,
      entraRegistered: true,
      compliance: 'COMPLIANT',
      primaryUserId: null,
      version: 1,
    } as DeviceEntity;
    expect(() => directoryEvent(DIRECTORY_EVENTS.deviceUpserted, T, d.id, deviceSnapshot(d))).toThrow(/device\.upserted: platform/);
  });
});
