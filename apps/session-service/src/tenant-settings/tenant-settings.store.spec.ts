import { buildEvent, DIRECTORY_EVENTS, EventContractError, parseEvent } from '@remote-help/events';
import { chatSettingOf } from './tenant-settings.store';

const T = '11111111-1111-4111-8111-111111111111';
const snapshot = { tenantId: T, cloud: 'COMMERCIAL', remoteHelpEnabled: true, allowUnenrolledDevices: false, chatDisabled: true, updatedAt: null, updatedBy: null, version: 3 } as const;
const settings = (tenantId: string, data: unknown) => ({ ...buildEvent(DIRECTORY_EVENTS.settingsUpdated, { source: 'tenant-service', tenantId: T, subject: T, data: snapshot }), tenantId, data });

describe('the chat setting of a settings snapshot', () => {
  it('is read from tenant.settings.updated', () => {
    expect(chatSettingOf(parseEvent(settings(T, snapshot)))).toEqual({ tenantId: T, chatDisabled: true, version: 3 });
  });

  it('ignores other events', () => {
    const user = { id: T, tenantId: T, userPrincipalName: 'a@b.com', displayName: 'A', givenName: null, surname: null, jobTitle: null, companyName: null, profilePictureUrl: null, licenses: [], version: 1 };
    expect(chatSettingOf(buildEvent(DIRECTORY_EVENTS.userUpserted, { source: 'tenant-service', tenantId: T, subject: T, data: user }))).toBeNull();
  });

  // The one policy: such an event never reaches the store (its consumer sends it to the dead-letter topic).
  it('never gets data of another tenant, without a version or with a mistyped setting: the parse refuses them', () => {
    expect(() => parseEvent(settings('22222222-2222-4222-8222-222222222222', snapshot))).toThrow(EventContractError);
    expect(() => parseEvent(settings(T, { ...snapshot, version: 0 }))).toThrow(/version/);
    expect(() => parseEvent(settings(T, { ...snapshot, chatDisabled: 'yes' }))).toThrow(/chatDisabled/);
  });
});
