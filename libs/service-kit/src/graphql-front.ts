import { HttpException, Injectable } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { UNAUTHENTICATED_BODY } from './internal-auth.middleware';
import { runWithRequestId } from './request-context';

/** The largest request body a subgraph reads (the gateway accepts client bodies up to 1 MiB). */
export const SUBGRAPH_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
type GraphQLHandler = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void | Promise<void>;

/** An internal endpoint's work: the verified caller and the parsed body in, the JSON answer out. */
export type InternalRouteHandler = (input: { caller: Caller; body: unknown }) => Promise<unknown>;

/**
 * The `POST /internal/...` endpoints the front serves itself (the hot ones: rbac-service's access
 * decisions), each registered by the controller that also serves it through Nest: the same method,
 * so both ways answer alike. An error is answered as Nest's exception filter answers it: an
 * HttpException with its status and response, anything else 500 (and logged).
 */
@Injectable()
export class InternalRoutes {
  private readonly routes = new Map<string, InternalRouteHandler>();

  /** Serves `POST path` (exact, no query string) with `handle`. */
  post(path: string, handle: InternalRouteHandler): void {
    if (!path.startsWith('/internal/')) throw new TypeError(`InternalRoutes: ${path} is not under /internal/`);
    if (this.routes.has(path)) throw new TypeError(`InternalRoutes: ${path} is registered twice`);
    this.routes.set(path, handle);
  }

  get(path: string): InternalRouteHandler | undefined {
    return this.routes.get(path);
  }
}

export interface GraphQLFrontOptions {
  /** Apollo Server's handler (`graphqlMiddleware`), given a request with `body`, `caller` and `id` set. */
  graphql: GraphQLHandler;
  /** The internal endpoints served here too. */
  internal?: InternalRoutes;
  /** The caller of a request with this `authorization` header (InternalAuthMiddleware's check; `internalRoute` for /internal/). */
  authenticate(authorization: string | undefined, internalRoute: boolean): Promise<Caller | undefined>;
  /** Everything the front does not serve (Express, with Nest's routes and middleware). */
  fallback: Listener;
  /** Largest body read (413 above it). */
  limitBytes?: number;
  /** An error the GraphQL handler passed on (answered 500). */
  onError(err: unknown): void;
  /** Called once per request served here when its connection is done with it (the request log line). */
  requestLine?(req: IncomingMessage & { id?: unknown }, res: ServerResponse, ms: number): void;
}

/**
 * The subgraph's `POST /graphql` with a JSON body (and the internal endpoints registered in
 * `InternalRoutes`), served without Express and Nest's middleware chain: the same steps (request
 * id and its log context, the internal-token check, the JSON body up to the limit, at `info` and
 * below the request's log line) done once, in front of Apollo Server's handler. Every other
 * request (other paths, methods, content types, compressed bodies) goes to `fallback` unchanged.
 * Express's router, body-parser and Nest's middleware wrappers made ~15% of the garbage of each
 * access check and about a third of rbac-service's CPU per internal call (BENCHMARKS.md,
 * section 2).
 */
export function graphqlFront(o: GraphQLFrontOptions): Listener {
  const limit = o.limitBytes ?? SUBGRAPH_BODY_LIMIT_BYTES;
  return (req, res) => {
    const route = frontRouteOf(req, o.internal);
    if (route === undefined) {
      o.fallback(req, res);
      return;
    }
    runWithRequestId(req, res, () => void serve(o, limit, req as FrontRequest, res, route === GRAPHQL ? undefined : route));
  };
}

type FrontRequest = IncomingMessage & { body?: unknown; caller?: Caller };

const GRAPHQL = 'graphql';

/**
 * What the front serves a request with: GraphQL for POST /graphql (with or without a query
 * string), a registered internal route for its exact path; undefined (Express) for anything else,
 * and for any body that is not UTF-8 JSON or is compressed.
 */
function frontRouteOf(req: IncomingMessage, internal: InternalRoutes | undefined): typeof GRAPHQL | InternalRouteHandler | undefined {
  if (req.method !== 'POST' || !plainJson(req)) return undefined;
  const url = req.url ?? '';
  if (url === '/graphql' || url.startsWith('/graphql?')) return GRAPHQL;
  return internal?.get(url);
}

/** POST /graphql (with or without a query string), a UTF-8 JSON body, not compressed. */
export function servedByFront(req: IncomingMessage): boolean {
  return frontRouteOf(req, undefined) === GRAPHQL;
}

function plainJson(req: IncomingMessage): boolean {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  return isUtf8Json(req.headers['content-type']);
}

function isUtf8Json(type: string | undefined): boolean {
  if (type === 'application/json') return true; // what the gateway and the services send
  if (!type) return false;
  const [media, ...params] = type.split(';');
  if (media.trim().toLowerCase() !== 'application/json') return false;
  return params.every((p) => {
    const [k, v] = p.split('=').map((x) => x.trim().toLowerCase());
    return k !== 'charset' || v === 'utf-8' || v === 'utf8' || v === '"utf-8"';
  });
}

async function serve(o: GraphQLFrontOptions, limit: number, req: FrontRequest, res: ServerResponse, route?: InternalRouteHandler): Promise<void> {
  if (o.requestLine) {
    const started = Date.now();
    const line = o.requestLine;
    res.once('close', () => line(req, res, Date.now() - started));
  }
  try {
    const caller = await o.authenticate(req.headers.authorization, route !== undefined);
    if (!caller) return answer(res, 401, UNAUTHENTICATED_BODY);
    const declared = Number(req.headers['content-length']);
    if (declared > limit) return answer(res, 413, tooLarge(limit), true);
    const text = await readBody(req, limit);
    if (text === undefined) return answer(res, 413, tooLarge(limit), true);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return answer(res, 400, { errors: [{ message: 'the request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    }
    if (route) return await answerInternal(o, route, caller, body, res);
    req.body = body;
    req.caller = caller;
    await o.graphql(req, res, (err) => {
      if (err === undefined) return;
      o.onError(err);
      if (!res.headersSent) answer(res, 500, INTERNAL_ERROR_BODY);
      else res.destroy();
    });
  } catch (err) {
    // The body's stream failed (the client went away): nothing more to answer.
    if (!res.headersSent && !req.destroyed) {
      o.onError(err);
      answer(res, 500, INTERNAL_ERROR_BODY);
    } else res.destroy();
  }
}

/** An internal route's answer, or its error as Nest's exception filter would answer it. */
async function answerInternal(o: GraphQLFrontOptions, route: InternalRouteHandler, caller: Caller, body: unknown, res: ServerResponse): Promise<void> {
  let result: unknown;
  try {
    result = await route({ caller, body });
  } catch (err) {
    if (err instanceof HttpException) {
      const r = err.getResponse();
      return answer(res, err.getStatus(), typeof r === 'object' && r !== null ? r : { statusCode: err.getStatus(), message: r });
    }
    o.onError(err);
    return answer(res, 500, { statusCode: 500, message: 'Internal server error' });
  }
  answer(res, 200, result);
}

const INTERNAL_ERROR_BODY = { errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };

const tooLarge = (limit: number) => ({ errors: [{ message: `the request body is larger than ${limit} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });

/** The body as text, or undefined once it passes `limit` bytes (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    const onAborted = () => onError(new Error('the request was aborted'));
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/** A JSON answer; `close` ends the connection too (the rest of an oversized body is not read). */
function answer(res: ServerResponse, status: number, body: unknown, close = false): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  if (close) res.setHeader('connection', 'close');
  res.end(text);
}
