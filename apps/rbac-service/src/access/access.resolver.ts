import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { SessionMode } from '@remote-help/domain';
import { CurrentCaller } from '@remote-help/service-kit';
import { AccessService } from './access.service';
import { AuthorizationDecision } from './authorization-decision.model';

@Resolver(() => AuthorizationDecision)
export class AccessResolver {
  constructor(private readonly access: AccessService) {}

  @Query(() => AuthorizationDecision, {
    description: 'Whether the helper may start a session of this mode on the device, with every reason that applies. ' + 'Asked by the helper about themself, or by a caller with MANAGE_ROLES or READ_REPORTS.',
  })
  checkRemoteHelpAccess(
    @Args('helperId', { type: () => ID }) helperId: string,
    @Args('deviceId', { type: () => ID }) deviceId: string,
    @Args('mode', { type: () => SessionMode }) mode: SessionMode,
    @CurrentCaller() caller: Caller,
  ) {
    return this.access.check(caller, helperId, deviceId, mode);
  }
}
