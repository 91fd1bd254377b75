import { chatSettingOf } from './tenant-settings.store';

const T = '11111111-1111-4111-8111-111111111111';
const snapshot = { tenantId: T, cloud: 'COMMERCIAL', remoteHelpEnabled: true, allowUnenrolledDevices: false, chatDisabled: true, updatedAt: null, updatedBy: null, version: 3 };

describe('the chat setting of a settings snapshot', () => {
  it('is read from tenant.settings.updated', () => {
    expect(chatSettingOf({ type: 'tenant.settings.updated', tenantId: T, data: snapshot })).toEqual({ tenantId: T, chatDisabled: true, version: 3 });
  });

  it('ignores other events, and data of another tenant or without a version', () => {
    expect(chatSettingOf({ type: 'user.upserted', tenantId: T, data: snapshot })).toBeNull();
    expect(chatSettingOf({ type: 'tenant.settings.updated', tenantId: '22222222-2222-4222-8222-222222222222', data: snapshot })).toBeNull();
    expect(chatSettingOf({ type: 'tenant.settings.updated', tenantId: T, data: { ...snapshot, version: 0 } })).toBeNull();
    expect(chatSettingOf({ type: 'tenant.settings.updated', tenantId: T, data: { ...snapshot, chatDisabled: 'yes' } })).toBeNull();
  });
});
