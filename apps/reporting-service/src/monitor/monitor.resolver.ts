import { Args, Query, Resolver } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { AdminPermission } from '@remote-help/domain';
import { AdminAuthorizer, CurrentCaller, tenantOf } from '@remote-help/service-kit';
import { RemoteHelpMonitor } from './monitor.model';
import { MonitorService } from './monitor.service';

@Resolver(() => RemoteHelpMonitor)
export class MonitorResolver {
  constructor(
    private readonly monitor: MonitorService,
    private readonly admin: AdminAuthorizer,
  ) {}

  @Query(() => RemoteHelpMonitor, {
    description: 'The Remote Help monitor (READ_REPORTS) over sessions requested in [from, to): `to` defaults to now, `from` to the retention period (30 days) before it; at most 366 days.',
  })
  async remoteHelpMonitor(@CurrentCaller() caller: Caller, @Args('from', { type: () => Date, nullable: true }) from?: Date, @Args('to', { type: () => Date, nullable: true }) to?: Date): Promise<RemoteHelpMonitor> {
    const tenantId = tenantOf(caller);
    await this.admin.require(caller, AdminPermission.READ_REPORTS);
    return this.monitor.monitor(tenantId, from, to);
  }
}
