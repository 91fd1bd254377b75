import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { AdminPermission } from '@remote-help/domain';
import { AdminAuthorizer, CurrentCaller, tenantOf } from '@remote-help/service-kit';
import { SessionRecordConnection, SessionRecordFilter } from './session-record.model';
import { SessionRecordService } from './session-record.service';

@Resolver(() => SessionRecordConnection)
export class SessionRecordResolver {
  constructor(
    private readonly records: SessionRecordService,
    private readonly admin: AdminAuthorizer,
  ) {}

  @Query(() => SessionRecordConnection, {
    description: 'The "Remote Help sessions" report (READ_REPORTS): one record per session of the tenant, newest request first. `first`: 50 by default, at most 500.',
  })
  async remoteHelpSessions(
    @CurrentCaller() caller: Caller,
    @Args('filter', { type: () => SessionRecordFilter, nullable: true }) filter?: SessionRecordFilter,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<SessionRecordConnection> {
    const tenantId = tenantOf(caller);
    await this.admin.require(caller, AdminPermission.READ_REPORTS);
    return this.records.page(tenantId, filter, first, after);
  }

  @ResolveField(() => Int, { description: 'Records matching the filter, on all pages.' })
  totalCount(@Parent() connection: SessionRecordConnection): Promise<number> {
    return connection.totalCount !== undefined ? Promise.resolve(connection.totalCount) : connection.countTotal();
  }
}
