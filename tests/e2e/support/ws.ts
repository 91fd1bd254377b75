import type { FormattedExecutionResult } from 'graphql';
import type { Client } from 'graphql-ws';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { gatewayUrl } from './client';

export interface Subscription<T> {
  /** Resolves with the next payload (or rejects after `timeoutMs`). */
  next(timeoutMs?: number): Promise<FormattedExecutionResult<T, unknown>>;
  /** Everything received so far. */
  received: FormattedExecutionResult<T, unknown>[];
  /** The error or close reason, if the subscription ended. */
  ended: Promise<unknown>;
  close(): Promise<void>;
}

export function wsClient(token: string | undefined, url = gatewayUrl()): Client {
  return createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token === undefined ? {} : { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
  });
}

export function subscribe<T = Record<string, any>>(client: Client, query: string, variables: Record<string, unknown> = {}): Subscription<T> {
  const received: FormattedExecutionResult<T, unknown>[] = [];
  const waiters: ((r: FormattedExecutionResult<T, unknown>) => void)[] = [];
  let endedResolve: (v: unknown) => void;
  const ended = new Promise((r) => (endedResolve = r));
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (r) => {
        received.push(r);
        waiters.shift()?.(r);
      },
      error: (e) => endedResolve(e),
      complete: () => endedResolve('complete'),
    },
  );
  let read = 0;
  return {
    received,
    ended,
    next(timeoutMs = 10_000) {
      if (read < received.length) return Promise.resolve(received[read++]);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no subscription payload within ${timeoutMs} ms (received ${JSON.stringify(received)})`)), timeoutMs);
        waiters.push((r) => {
          clearTimeout(t);
          read++;
          resolve(r);
        });
      });
    },
    async close() {
      dispose();
    },
  };
}
