import { Args, ID, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { CurrentCaller, tenantOf } from '@remote-help/service-kit';
import { User } from '../user/user.model';
import { UserService } from '../user/user.service';
import { Device } from './device.model';
import { DeviceService } from './device.service';

@Resolver(() => Device)
export class DeviceResolver {
  constructor(
    private readonly devices: DeviceService,
    private readonly users: UserService,
  ) {}

  @Query(() => Device, { nullable: true })
  device(@Args('id', { type: () => ID }) id: string, @CurrentCaller() caller: Caller) {
    return this.devices.findInTenant(tenantOf(caller), id);
  }

  @ResolveField(() => User, { nullable: true, description: 'Null for devices with no user affinity (dedicated devices).' })
  primaryUser(@Parent() device: Device) {
    return device.primaryUserId ? this.users.findInTenant(device.tenantId, device.primaryUserId) : null;
  }

  @ResolveReference()
  resolveReference(ref: { id: string }, @CurrentCaller() caller: Caller) {
    return this.devices.findInTenant(tenantOf(caller), ref.id);
  }
}
