import { cacheExchange, Client, fetchExchange, mapExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient, type Client as WsClient, type Sink, type SubscribePayload } from 'graphql-ws';

/**
 * The GraphQL client of a signed-in session: queries and mutations over HTTP, subscriptions over
 * graphql-ws (reconnecting for ever: the count catches up on reconnect), the bearer token on
 * both. An UNAUTHENTICATED answer signs out (expired or revoked token).
 */
/** Whether the subscription socket is up (the pages say when live updates are interrupted). */
export interface LiveConnection {
  connected(): boolean;
  onChange(listener: () => void): () => void;
}

export function createApiClient(urls: { http: string; ws: string }, token: string, onUnauthenticated: () => void): { client: Client; live: LiveConnection; close(): void } {
  const changes = new EventTarget();
  let up = false;
  const set = (v: boolean) => {
    up = v;
    changes.dispatchEvent(new Event('change'));
  };
  const live: LiveConnection = {
    connected: () => up,
    onChange: (listener) => {
      changes.addEventListener('change', listener);
      return () => changes.removeEventListener('change', listener);
    },
  };
  const ws = createWsClient({
    on: { connected: () => set(true), closed: () => set(false) },
    url: urls.ws,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: Number.MAX_SAFE_INTEGER,
    shouldRetry: () => true,
    retryWait: async (n) => new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** n))),
  });
  const client = new Client({
    url: urls.http,
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }),
    exchanges: [
      mapExchange({
        onError(error) {
          if (error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED') || error.response?.status === 401) onUnauthenticated();
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return { subscribe: (sink) => ({ unsubscribe: resubscribing(ws, input, sink) }) };
        },
      }),
    ],
  });
  return { client, live, close: () => void ws.dispose() };
}

/** Refusals that asking again does not change (the sign-out handles UNAUTHENTICATED). */
const FINAL_CODES = new Set(['UNAUTHENTICATED', 'BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']);

/**
 * A subscription that the server ends with an error (e.g. a gateway just started that cannot
 * read the count yet) is subscribed again, with back-off, for as long as the page wants it: the
 * error is shown meanwhile, and the next value replaces it. (graphql-ws itself only reconnects
 * dropped sockets; a subscription ended by an error would stay ended, its value old on screen.)
 */
export function resubscribing(ws: WsClient, payload: SubscribePayload, sink: Sink): () => void {
  let stop: () => void = () => undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let ended = false;
  const start = () => {
    stop = ws.subscribe(payload, {
      next: (value) => {
        // urql keeps a subscription's last errors until a result names others: none now.
        const recovered = failures > 0;
        failures = 0;
        sink.next(recovered && !value.errors ? { ...value, errors: [] } : value);
      },
      complete: () => sink.complete(),
      error: (error) => {
        const errors = Array.isArray(error) ? (error as { extensions?: { code?: unknown } }[]) : null;
        if (ended) return;
        if (!errors || errors.some((e) => FINAL_CODES.has(String(e.extensions?.code)))) return sink.error(error);
        sink.next({ errors } as never);
        timer = setTimeout(start, Math.min(30_000, 1000 * 2 ** failures++));
      },
    });
  };
  start();
  return () => {
    ended = true;
    clearTimeout(timer);
    stop();
  };
}
