import type * as http from 'node:http';
import type { VarSpec } from './config';
import { parsers } from './config';

/** The public HTTP server's variables, read by every process (the four services and the gateway). */
export function httpServerConfigSpec() {
  return {
    HTTP_KEEP_ALIVE_SECONDS: {
      description:
        "seconds the public port keeps an idle keep-alive connection open; more than the idle timeout of the load balancer or proxy in front (and of the gateway's own pool towards the services, 30 s), so that the server never closes a connection as the client sends on it",
      default: '65',
      parse: parsers.int(1, 3600),
    },
  } satisfies Record<string, VarSpec<unknown>>;
}

/** The public HTTP server's variables as read (httpServerConfigSpec). */
export interface HttpServerConfig {
  HTTP_KEEP_ALIVE_SECONDS: number;
}

/**
 * The public server's timeouts: idle keep-alive connections live HTTP_KEEP_ALIVE_SECONDS (the
 * `Keep-Alive: timeout=` Node announces); the headers timeout is one second more (below the
 * keep-alive timeout, Node's connection check could close an idle connection first), and the
 * request timeout Node's 300 s, or the headers timeout where that is longer.
 */
export function applyHttpServerTimeouts(server: http.Server, config: HttpServerConfig): void {
  server.keepAliveTimeout = config.HTTP_KEEP_ALIVE_SECONDS * 1000;
  server.headersTimeout = server.keepAliveTimeout + 1000;
  server.requestTimeout = Math.max(300_000, server.headersTimeout);
}
