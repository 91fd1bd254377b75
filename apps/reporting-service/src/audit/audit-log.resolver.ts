import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { AdminPermission } from '@remote-help/domain';
import { AdminAuthorizer, CurrentCaller, tenantOf } from '@remote-help/service-kit';
import { AuditEventConnection } from './audit-event.model';
import { AuditLogService } from './audit-log.service';

@Resolver(() => AuditEventConnection)
export class AuditLogResolver {
  constructor(
    private readonly log: AuditLogService,
    private readonly admin: AdminAuthorizer,
  ) {}

  @Query(() => AuditEventConnection, {
    description: "The tenant's audit log (READ_AUDIT_LOG): every admin change and session action of every service, newest first; optionally in [from, to) and of one category. `first`: 50 by default, at most 500.",
  })
  async auditEvents(
    @CurrentCaller() caller: Caller,
    @Args('from', { type: () => Date, nullable: true }) from?: Date,
    @Args('to', { type: () => Date, nullable: true }) to?: Date,
    @Args('category', { type: () => String, nullable: true }) category?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<AuditEventConnection> {
    const tenantId = tenantOf(caller);
    await this.admin.require(caller, AdminPermission.READ_AUDIT_LOG);
    return this.log.page(tenantId, { from, to, category, first, after });
  }
}
