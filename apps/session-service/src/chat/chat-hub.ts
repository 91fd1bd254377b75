import { Injectable } from '@nestjs/common';
import type { ChatStreamMessage } from '@remote-help/events';

export type { ChatStreamMessage };

export type ChatListener = (m: ChatStreamMessage) => void;

/**
 * The in-memory fan-out of chat messages to the gateways connected to this instance's
 * GET /internal/chat-stream. Limit: a message reaches only the gateways connected to the
 * instance that received sendChatMessage, so either run one session-service instance, or
 * connect every gateway to every instance.
 */
@Injectable()
export class ChatHub {
  private readonly listeners = new Set<ChatListener>();

  subscribe(listener: ChatListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(message: ChatStreamMessage): number {
    for (const l of this.listeners) {
      try {
        l(message);
      } catch {
        // one broken stream never stops the others
      }
    }
    return this.listeners.size;
  }

  get size(): number {
    return this.listeners.size;
  }
}
