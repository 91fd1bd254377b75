import { Args, ID, Mutation, Resolver, Subscription } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { CurrentCaller } from '@remote-help/service-kit';
import { ChatMessage } from '../session/session.model';
import { servedByGateway } from '../session/session.resolver';
import { SessionService } from '../session/session.service';

@Resolver(() => ChatMessage)
export class ChatResolver {
  constructor(private readonly sessions: SessionService) {}

  @Mutation(() => ChatMessage, {
    description: 'Either party of an active session with chat enabled: 1 to 4,000 characters, delivered to the chatMessages subscriptions of the two parties. Never stored and never put on Kafka.',
  })
  sendChatMessage(@CurrentCaller() caller: Caller, @Args('sessionId', { type: () => ID }) sessionId: string, @Args('text') text: string) {
    return this.sessions.sendChatMessage(caller, sessionId, text);
  }

  @Subscription(() => ChatMessage, { description: "The session's chat messages, to its parties only (served by the gateway)." })
  chatMessages(@Args('sessionId', { type: () => ID }) _sessionId: string): never {
    throw servedByGateway();
  }
}
