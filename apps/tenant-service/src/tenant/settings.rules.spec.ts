import { CloudEnvironment } from '@remote-help/domain';
import { GraphQLError } from 'graphql';
import { nextSettings } from './settings.rules';

const OFF = { remoteHelpEnabled: false, allowUnenrolledDevices: false, chatDisabled: false, requireReason: false };

describe('nextSettings', () => {
  it('changes only the fields given; null keeps the current value', () => {
    expect(nextSettings(OFF, { remoteHelpEnabled: true }, CloudEnvironment.COMMERCIAL)).toEqual({ ...OFF, remoteHelpEnabled: true });
    expect(nextSettings({ ...OFF, chatDisabled: true }, { remoteHelpEnabled: null, allowUnenrolledDevices: true }, CloudEnvironment.GCC)).toEqual({
      remoteHelpEnabled: false,
      allowUnenrolledDevices: true,
      chatDisabled: true,
      requireReason: false,
    });
    expect(nextSettings(OFF, { requireReason: true }, CloudEnvironment.COMMERCIAL)).toEqual({ ...OFF, requireReason: true });
    expect(nextSettings({ ...OFF, requireReason: true }, { requireReason: null, chatDisabled: true }, CloudEnvironment.COMMERCIAL)).toEqual({ ...OFF, chatDisabled: true, requireReason: true });
    expect(nextSettings(OFF, {}, CloudEnvironment.COMMERCIAL)).toEqual(OFF);
  });

  it.each([
    [CloudEnvironment.GCC_HIGH, 'GCC High'],
    [CloudEnvironment.DOD, 'DoD'],
  ])('refuses to enable Remote Help on %s with a clear message', (cloud, name) => {
    let error: unknown;
    try {
      nextSettings(OFF, { remoteHelpEnabled: true }, cloud);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    expect((error as GraphQLError).message).toBe(`Remote Help isn't supported on GCC High or DoD tenants, so it cannot be enabled for this ${name} tenant`);
  });

  it('lets GCC High and DoD tenants change the other settings, and keep Remote Help off', () => {
    expect(nextSettings(OFF, { chatDisabled: true, remoteHelpEnabled: false }, CloudEnvironment.GCC_HIGH)).toEqual({ ...OFF, chatDisabled: true });
  });
});
