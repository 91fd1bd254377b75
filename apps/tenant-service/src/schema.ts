import { DeviceResolver } from './device/device.resolver';
import { RemoteHelpSettingsResolver } from './tenant/remote-help-settings.resolver';
import { TenantResolver } from './tenant/tenant.resolver';
import { UserResolver } from './user/user.resolver';

/** What this subgraph serves: its resolvers, and types no query returns directly. */
export const RESOLVERS = [TenantResolver, RemoteHelpSettingsResolver, UserResolver, DeviceResolver];
export const ORPHANED_TYPES: Function[] = [];
