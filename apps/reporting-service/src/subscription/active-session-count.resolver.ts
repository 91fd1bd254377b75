import { Resolver, Subscription } from '@nestjs/graphql';
import { AppError } from '@remote-help/service-kit';
import { ActiveSessionCount } from './active-session-count.model';

/**
 * Declares `Subscription.activeSessionCount` so that it composes into the supergraph. The
 * gateway serves it over graphql-ws: it checks READ_REPORTS, sends the current count
 * (`tenant { activeSessionCount }`) and then every `reporting.active-session-count.changed`
 * event this service publishes for the caller's tenant, as it is. This subgraph never executes it.
 */
@Resolver(() => ActiveSessionCount)
export class ActiveSessionCountResolver {
  @Subscription(() => ActiveSessionCount, {
    description: "The caller's tenant's count of active sessions (READ_REPORTS): the current count at once, then every change.",
  })
  activeSessionCount(): never {
    throw new AppError('BAD_USER_INPUT', "subscriptions are served by the gateway's WebSocket endpoint");
  }
}
