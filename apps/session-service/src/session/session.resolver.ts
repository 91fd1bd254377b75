import { Args, Query, Resolver } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { SessionState } from '@remote-help/domain';
import { CurrentCaller } from '@remote-help/service-kit';
import { RemoteHelpSession } from './session.model';
import { SessionService } from './session.service';

@Resolver(() => RemoteHelpSession)
export class SessionResolver {
  constructor(private readonly sessions: SessionService) {}

  @Query(() => [RemoteHelpSession], { description: 'Sessions in which the caller is the helper or the sharer.' })
  mySessions(@CurrentCaller() caller: Caller, @Args('states', { type: () => [SessionState], nullable: true }) states?: SessionState[]) {
    if (caller.kind !== 'user') return [];
    return this.sessions.listForParty(caller.tenantId, caller.userId, states);
  }
}
