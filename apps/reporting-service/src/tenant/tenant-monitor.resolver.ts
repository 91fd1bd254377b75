import { Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { CurrentCaller } from '@remote-help/service-kit';
import { MonitorService } from '../monitor/monitor.service';
import { Tenant } from './tenant.model';

@Resolver(() => Tenant)
export class TenantMonitorResolver {
  constructor(private readonly monitor: MonitorService) {}

  @ResolveField(() => Int)
  activeSessionCount(@Parent() tenant: Tenant, @CurrentCaller() caller: Caller) {
    return tenant.id === caller.tenantId ? this.monitor.activeSessionCount(tenant.id) : 0;
  }
}
