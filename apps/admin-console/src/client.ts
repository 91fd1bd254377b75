import { cacheExchange, Client, fetchExchange, mapExchange, subscriptionExchange } from 'urql';
import { createClient as createWsClient } from 'graphql-ws';

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
          return { subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }) };
        },
      }),
    ],
  });
  return { client, live, close: () => void ws.dispose() };
}
