import { Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { AdminPermission } from '@remote-help/domain';
import { AdminAuthorizer, CurrentCaller, forbidden, tenantOf } from '@remote-help/service-kit';
import { MonitorService } from '../monitor/monitor.service';
import { Tenant } from './tenant.model';

@Resolver(() => Tenant)
export class TenantMonitorResolver {
  constructor(
    private readonly monitor: MonitorService,
    private readonly admin: AdminAuthorizer,
  ) {}

  @ResolveField(() => Int, { description: 'Remote Help sessions active now (READ_REPORTS).' })
  async activeSessionCount(@Parent() tenant: Tenant, @CurrentCaller() caller: Caller): Promise<number> {
    if (tenant.id !== tenantOf(caller)) throw forbidden('the active session count of another tenant is not yours to read');
    await this.admin.require(caller, AdminPermission.READ_REPORTS);
    return this.monitor.activeSessionCount(tenant.id);
  }
}
