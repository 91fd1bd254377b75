import { Args, ID, Mutation, Parent, Query, Resolver, ResolveReference, Subscription } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { SessionMode, SessionState } from '@remote-help/domain';
import { AppError, CurrentCaller } from '@remote-help/service-kit';
import { RemoteHelpSession, RequestSessionInput, RequestSessionPayload } from './session.model';
import { SessionService } from './session.service';

/** Subscriptions compose into the supergraph from here; the gateway serves them over graphql-ws. */
export const servedByGateway = () => new AppError('BAD_USER_INPUT', "subscriptions are served by the gateway's WebSocket endpoint (graphql-ws on /graphql)");

@Resolver(() => RemoteHelpSession)
export class SessionResolver {
  constructor(private readonly sessions: SessionService) {}

  @Query(() => RemoteHelpSession, { nullable: true, description: 'A session the caller is a party to (helper, sharer, or the device of an unattended session); null otherwise.' })
  session(@CurrentCaller() caller: Caller, @Args('id', { type: () => ID }) id: string) {
    return this.sessions.session(caller, id);
  }

  @Query(() => [RemoteHelpSession], { description: 'Sessions in which the caller is the helper or the sharer (a device: its unattended sessions), newest first.' })
  mySessions(@CurrentCaller() caller: Caller, @Args('states', { type: () => [SessionState], nullable: true }) states?: SessionState[] | null) {
    return this.sessions.mySessions(caller, states);
  }

  @Query(() => [RemoteHelpSession], { description: "The tenant's active sessions (READ_REPORTS)." })
  activeSessions(@CurrentCaller() caller: Caller) {
    return this.sessions.activeSessions(caller);
  }

  @Mutation(() => RequestSessionPayload, {
    description:
      'Helper: asks for a session on a device. Denied: no session, and the decision with every reason. A non-compliant device needs acknowledgeComplianceWarning: true. Allowed: a session waiting for the sharer, with its security code (returned here only), or for UNATTENDED a session that starts by itself.',
  })
  requestSession(@CurrentCaller() caller: Caller, @Args('input') input: RequestSessionInput) {
    return this.sessions.requestSession(caller, input);
  }

  @Mutation(() => RemoteHelpSession, { description: 'Helper: VIEW_ONLY -> FULL_CONTROL waits for the sharer (pendingControlRequest); FULL_CONTROL -> VIEW_ONLY is at once.' })
  requestControlChange(@CurrentCaller() caller: Caller, @Args('sessionId', { type: () => ID }) sessionId: string, @Args('mode', { type: () => SessionMode }) mode: SessionMode) {
    return this.sessions.requestControlChange(caller, sessionId, mode);
  }

  @Mutation(() => RemoteHelpSession, { description: 'Helper: elevation on a Windows device in a full-control session (needs Elevation over the target).' })
  requestElevation(@CurrentCaller() caller: Caller, @Args('sessionId', { type: () => ID }) sessionId: string) {
    return this.sessions.requestElevation(caller, sessionId);
  }

  @Mutation(() => RemoteHelpSession, { description: 'Sharer: joins with the security code; a wrong, expired or used code fails the same way.' })
  joinSession(@CurrentCaller() caller: Caller, @Args('securityCode') securityCode: string) {
    return this.sessions.joinSession(caller, securityCode);
  }

  @Mutation(() => RemoteHelpSession, { description: 'Sharer (or the device of an unattended session): accept starts the session, decline ends it.' })
  respondToSession(@CurrentCaller() caller: Caller, @Args('sessionId', { type: () => ID }) sessionId: string, @Args('accept') accept: boolean) {
    return this.sessions.respondToSession(caller, sessionId, accept);
  }

  @Mutation(() => RemoteHelpSession, { description: "Sharer: answers the helper's request for full control." })
  respondToControlRequest(@CurrentCaller() caller: Caller, @Args('sessionId', { type: () => ID }) sessionId: string, @Args('accept') accept: boolean) {
    return this.sessions.respondToControlRequest(caller, sessionId, accept);
  }

  @Mutation(() => RemoteHelpSession, { description: 'Either party: still here. An active session ends (DISCONNECTED) when a party sends none for 60 s.' })
  heartbeat(@CurrentCaller() caller: Caller, @Args('sessionId', { type: () => ID }) sessionId: string) {
    return this.sessions.heartbeat(caller, sessionId);
  }

  @Mutation(() => RemoteHelpSession, { description: 'Either party ends the session (HELPER_ENDED / SHARER_ENDED).' })
  endSession(@CurrentCaller() caller: Caller, @Args('sessionId', { type: () => ID }) sessionId: string) {
    return this.sessions.endSession(caller, sessionId);
  }

  @Mutation(() => RemoteHelpSession, { description: 'An administrator ends a session of the tenant (TERMINATE_SESSIONS; ADMIN_ENDED).' })
  terminateSession(@CurrentCaller() caller: Caller, @Args('sessionId', { type: () => ID }) sessionId: string) {
    return this.sessions.terminateSession(caller, sessionId);
  }

  @Subscription(() => RemoteHelpSession, { description: 'Every change of the session, to its parties only (served by the gateway).' })
  sessionUpdated(@Args('sessionId', { type: () => ID }) _sessionId: string): never {
    throw servedByGateway();
  }

  /** (`@Parent()`: with a parameter decorator on the method, Nest passes an undecorated reference as undefined.) */
  @ResolveReference()
  resolveReference(@Parent() ref: { id: string }, @CurrentCaller() caller: Caller) {
    return this.sessions.session(caller, ref.id);
  }
}
