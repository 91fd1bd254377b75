import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PgBroadcast, type ChatStreamMessage } from '@remote-help/events';
import { pinoLike } from '@remote-help/service-kit';
import { DataSource } from 'typeorm';

export type { ChatStreamMessage };

export type ChatListener = (m: ChatStreamMessage) => void;

/** The NOTIFY channel between session-service instances. */
export const CHAT_CHANNEL = 'remote_help_chat';

/**
 * The fan-out of chat messages to the gateways connected to GET /internal/chat-stream, across
 * every session-service instance: a message goes out through PostgreSQL NOTIFY (PgBroadcast: in
 * parts under NOTIFY's 8,000-byte limit, never stored, never on Kafka) and each instance hands
 * it to the gateways connected to it. So a gateway may connect to any instance and still
 * receives every chat message, whichever instance `sendChatMessage` reached.
 */
@Injectable()
export class ChatHub implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly listeners = new Set<ChatListener>();
  private readonly broadcast: PgBroadcast<ChatStreamMessage>;

  constructor(dataSource: DataSource) {
    this.broadcast = new PgBroadcast<ChatStreamMessage>({ dataSource, channel: CHAT_CHANNEL, onMessage: (m) => this.deliver(m), log: pinoLike(new Logger('ChatHub')) });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.broadcast.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.broadcast.stop();
  }

  subscribe(listener: ChatListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends the message to the gateways of every instance (resolves once PostgreSQL has taken it). */
  publish(message: ChatStreamMessage): Promise<void> {
    return this.broadcast.publish(message);
  }

  get size(): number {
    return this.listeners.size;
  }

  private deliver(message: ChatStreamMessage): void {
    for (const l of this.listeners) {
      try {
        l(message);
      } catch {
        // one broken stream never stops the others
      }
    }
  }
}
