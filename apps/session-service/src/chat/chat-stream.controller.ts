import { BeforeApplicationShutdown, Controller, Get, Inject, Logger, Req, Res } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import type { Request, Response } from 'express';
import { SESSION_TIMINGS, SessionTimings } from '../config';
import { ChatHub } from './chat-hub';

/** Beyond this many bytes waiting for a slow gateway, its stream is dropped (it reconnects). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * GET /internal/chat-stream: Server-Sent Events for the gateways, behind the internal-token
 * middleware; only a caller of kind `service` named `gateway` is served. Each chat message is
 * one `data: {...}` line (ChatStreamMessage as JSON); a `: heartbeat` comment every
 * CHAT_STREAM_HEARTBEAT_MS keeps proxies from closing an idle stream.
 */
@Controller('internal')
export class ChatStreamController implements BeforeApplicationShutdown {
  private readonly log = new Logger('ChatStream');
  private readonly open = new Set<Response>();

  constructor(
    private readonly hub: ChatHub,
    @Inject(SESSION_TIMINGS) private readonly timings: SessionTimings,
  ) {}

  @Get('chat-stream')
  stream(@Req() req: Request & { caller?: Caller }, @Res() res: Response) {
    const caller = req.caller;
    if (caller?.kind !== 'service' || caller.service !== 'gateway') {
      res.status(403).json({ errors: [{ message: 'only the gateway reads the chat stream', extensions: { code: 'FORBIDDEN' } }] });
      return;
    }
    res.status(200);
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-cache, no-transform');
    res.setHeader('connection', 'keep-alive');
    res.setHeader('x-accel-buffering', 'no');
    res.flushHeaders();
    res.write(': connected\n\n');
    this.open.add(res);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.open.delete(res);
    };
    const write = (chunk: string) => {
      if (res.writableEnded) return;
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        this.log.warn('a gateway reads the chat stream too slowly: dropping its stream (it reconnects)');
        res.destroy();
        close();
        return;
      }
      res.write(chunk);
    };
    const unsubscribe = this.hub.subscribe((m) => write(`data: ${JSON.stringify(m)}\n\n`));
    const heartbeat = setInterval(() => write(': heartbeat\n\n'), this.timings.chatStreamHeartbeatMs);
    req.on('close', close);
    res.on('close', close);
  }

  beforeApplicationShutdown() {
    for (const res of this.open) res.end();
    this.open.clear();
  }
}
