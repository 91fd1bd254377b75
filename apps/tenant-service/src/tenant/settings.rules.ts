import { CloudEnvironment, cloudSupportsRemoteHelp } from '@remote-help/domain';
import { badInput } from '@remote-help/service-kit';

export interface SettingsValues {
  remoteHelpEnabled: boolean;
  allowUnenrolledDevices: boolean;
  chatDisabled: boolean;
  requireReason: boolean;
}

/**
 * The settings after an update: each field given (not null / undefined) replaces the current
 * one. Enabling Remote Help on a cloud that does not support it (GCC High, DoD) is BAD_USER_INPUT.
 */
export function nextSettings(current: SettingsValues, input: Partial<Record<keyof SettingsValues, boolean | null>>, cloud: CloudEnvironment): SettingsValues {
  if (input.remoteHelpEnabled === true && !cloudSupportsRemoteHelp(cloud)) {
    const name = cloud === CloudEnvironment.DOD ? 'DoD' : cloud === CloudEnvironment.GCC_HIGH ? 'GCC High' : cloud;
    throw badInput(`Remote Help isn't supported on GCC High or DoD tenants, so it cannot be enabled for this ${name} tenant`);
  }
  return {
    remoteHelpEnabled: input.remoteHelpEnabled ?? current.remoteHelpEnabled,
    allowUnenrolledDevices: input.allowUnenrolledDevices ?? current.allowUnenrolledDevices,
    chatDisabled: input.chatDisabled ?? current.chatDisabled,
    requireReason: input.requireReason ?? current.requireReason,
  };
}
