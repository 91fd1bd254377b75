import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { CloudEnvironment, Platform, platformSupport } from '@remote-help/domain';
import { CurrentCaller, forbidden, tenantOf } from '@remote-help/service-kit';
import { mayReadDevice, mayReadDirectory } from '../directory/directory-access';
import { DirectoryLoaders } from '../directory/directory-loaders';
import { DirectoryListArgs, listArgsOf } from '../directory/list-args';
import { Group } from '../group/group.model';
import { User } from '../user/user.model';
import { DeviceAdminService } from './device-admin.service';
import { DeviceEntity } from './device.entity';
import { UpsertDeviceInput } from './device.input';
import { Device, RemoteHelpSupport } from './device.model';
import { DeviceService } from './device.service';

@Resolver(() => Device)
export class DeviceResolver {
  constructor(
    private readonly deviceService: DeviceService,
    private readonly admin: DeviceAdminService,
    private readonly loaders: DirectoryLoaders,
  ) {}

  @Query(() => Device, { nullable: true, description: 'A device of the tenant; null for an unknown id. A device caller may read only itself.' })
  device(@Args('id', { type: () => ID }) id: string, @CurrentCaller() caller: Caller) {
    if (!mayReadDevice(caller, id)) throw forbidden('a device can read only its own device');
    return this.deviceService.findInTenant(tenantOf(caller), id);
  }

  @Query(() => [Device], { description: 'Devices whose display name contains `search` (case-insensitive), by display name; `first` 1 to 500, default 50; `after`: the id of the last one of the previous page.' })
  devices(@CurrentCaller() caller: Caller, @Args() args: DirectoryListArgs) {
    const a = listArgsOf(args);
    return mayReadDirectory(caller) ? this.deviceService.list(tenantOf(caller), a.search, a.first, a.after) : [];
  }

  @Mutation(() => Device, { description: 'MANAGE_DIRECTORY.' })
  upsertDevice(@Args('input') input: UpsertDeviceInput, @CurrentCaller() caller: Caller) {
    return this.admin.upsertDevice(caller, input);
  }

  @ResolveField(() => User, { nullable: true, description: 'Null for devices with no user affinity (dedicated devices).' })
  primaryUser(@Parent() device: DeviceEntity, @Context() ctx: object) {
    return device.primaryUserId ? this.loaders.user(ctx, device.tenantId).load(device.primaryUserId) : null;
  }

  @ResolveField(() => [Group])
  groups(@Parent() device: DeviceEntity, @Context() ctx: object, @CurrentCaller() caller: Caller) {
    return mayReadDirectory(caller) ? this.loaders.groupsOfDevice(ctx, device.tenantId).load(device.id) : [];
  }

  @ResolveField(() => RemoteHelpSupport, { description: "Whether Remote Help supports this device, and why not (platform, OS version, manufacturer, the tenant's cloud)." })
  async remoteHelpSupport(@Parent() device: DeviceEntity, @Context() ctx: object): Promise<RemoteHelpSupport> {
    const tenant = await this.loaders.tenant(ctx, device.tenantId);
    if (!tenant) return { supported: false, reason: 'The tenant of this device is unknown.' };
    const support = platformSupport({ platform: device.platform as Platform, osVersion: device.osVersion, manufacturer: device.manufacturer }, tenant.cloud as CloudEnvironment);
    return support.supported ? { supported: true, reason: null } : { supported: false, reason: support.reason };
  }

  @ResolveReference()
  resolveReference(@Parent() ref: { id: string }, @CurrentCaller() caller: Caller) {
    return this.deviceService.findInTenant(tenantOf(caller), ref.id);
  }
}
