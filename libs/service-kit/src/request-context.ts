import { Injectable, NestMiddleware } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The request id of the request being served, for log lines (see `requestLogMixin`). Above
 * `info`, where no line per request is written, /graphql and /internal are served without
 * pino-http: its two child loggers per request (a pino child is an object whose prototype is its
 * parent) were most of what rbac-service's young-generation collections promoted, and made each
 * pause longer (BENCHMARKS.md, section 2).
 */
const requestIds = new AsyncLocalStorage<string>();

/** The caller's `x-request-id` (the gateway's), or a new one; echoed on the response. */
export function assignRequestId(req: IncomingMessage & { id?: unknown }, res: ServerResponse): string {
  const id = (req.headers['x-request-id'] as string | undefined) || randomUUID();
  req.id = id;
  res.setHeader('x-request-id', id);
  return id;
}

/** pino `mixin`: every line written while a request is served carries its id as `reqId`. */
export function requestLogMixin(): { reqId?: string } {
  const id = requestIds.getStore();
  return id === undefined ? {} : { reqId: id };
}

/** Sets the request id (as pino-http's `genReqId` does) and serves the rest of the request in its context. */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: IncomingMessage & { id?: unknown }, res: ServerResponse, next: () => void) {
    runWithRequestId(req, res, next);
  }
}

/** Serves a request (`serve`) in the context of its request id, as `RequestContextMiddleware` does. */
export function runWithRequestId<T>(req: IncomingMessage & { id?: unknown }, res: ServerResponse, serve: () => T): T {
  return requestIds.run(assignRequestId(req, res), serve);
}
