import { EVENTS_ENTITIES, EVENTS_MIGRATIONS } from '@remote-help/events';
import { DeviceEntity } from './device/device.entity';
import { GroupDeviceEntity, GroupEntity, GroupUserEntity } from './group/group.entity';
import { InitialDirectory1764000000000 } from './migrations/1764000000000-initial-directory';
import { Directory1764100000000 } from './migrations/1764100000000-directory';
import { RequiredReason1765200000000 } from './migrations/1765200000000-required-reason';
import { RemoteHelpSettingsEntity } from './tenant/remote-help-settings.entity';
import { TenantEntity } from './tenant/tenant.entity';
import { LicenseEntity } from './user/license.entity';
import { UserEntity } from './user/user.entity';

/** Entities and migrations, imported explicitly (no globs). */
export const ENTITIES = [...EVENTS_ENTITIES, TenantEntity, RemoteHelpSettingsEntity, UserEntity, LicenseEntity, DeviceEntity, GroupEntity, GroupUserEntity, GroupDeviceEntity];
export const MIGRATIONS = [...EVENTS_MIGRATIONS, InitialDirectory1764000000000, Directory1764100000000, RequiredReason1765200000000];
