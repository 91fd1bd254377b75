import type { ChatStreamMessage } from '@remote-help/events';
import type { Logger } from 'pino';
import { chatChannel } from './event-feed';
import type { Hub } from './hub';

/**
 * Chat messages are never stored or put on Kafka: session-service streams them to the gateway
 * over an internal Server-Sent-Events endpoint, and the gateway fans them out in memory. The
 * stream reconnects with a back-off when session-service restarts.
 */
export class ChatFeed {
  private stopped = false;
  private controller?: AbortController;
  connected = false;

  constructor(
    private readonly hub: Hub,
    private readonly opts: { url: string; token: () => Promise<string>; log: Logger },
  ) {}

  start() {
    void this.loop();
  }

  private async loop() {
    for (let delay = 250; !this.stopped; delay = Math.min(delay * 2, 5000)) {
      try {
        await this.connectOnce();
        delay = 250;
      } catch (e) {
        if (this.stopped) return;
        this.opts.log.debug({ err: (e as Error).message }, 'chat stream unavailable, retrying');
      }
      this.connected = false;
      if (!this.stopped) await new Promise((r) => setTimeout(r, delay));
    }
  }

  private async connectOnce() {
    this.controller = new AbortController();
    const res = await fetch(this.opts.url, { headers: { authorization: `Bearer ${await this.opts.token()}`, accept: 'text/event-stream' }, signal: this.controller.signal });
    if (!res.ok || !res.body) throw new Error(`chat stream answered ${res.status}`);
    this.connected = true;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trimStart())
          .join('\n');
        if (!data) continue;
        try {
          const msg = JSON.parse(data) as ChatStreamMessage;
          if (msg.sessionId) this.hub.publish(chatChannel(msg.sessionId), msg);
        } catch {
          this.opts.log.warn('chat stream: unreadable frame ignored');
        }
      }
    }
  }

  stop() {
    this.stopped = true;
    this.controller?.abort();
  }
}
