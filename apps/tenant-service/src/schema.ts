import type { Type } from '@nestjs/common';
import { DeviceResolver } from './device/device.resolver';
import { GroupResolver } from './group/group.resolver';
import { RemoteHelpSettingsResolver } from './tenant/remote-help-settings.resolver';
import { TenantResolver } from './tenant/tenant.resolver';
import { UserResolver } from './user/user.resolver';

/** What this subgraph serves: its resolvers, and types no query returns directly. */
export const RESOLVERS = [TenantResolver, RemoteHelpSettingsResolver, UserResolver, DeviceResolver, GroupResolver];
export const ORPHANED_TYPES: Type[] = [];
