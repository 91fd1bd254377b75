import type { Client as WsClient, Sink } from 'graphql-ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resubscribing } from './client';

/** A graphql-ws client that records each subscription's sink, for the test to answer as the server would. */
function server() {
  const sinks: Sink[] = [];
  const unsubscribed: number[] = [];
  const ws = {
    subscribe: (_payload: unknown, sink: Sink) => {
      const n = sinks.push(sink) - 1;
      return () => unsubscribed.push(n);
    },
  } as unknown as WsClient;
  return { ws, sinks, unsubscribed };
}

function page() {
  return { next: vi.fn(), error: vi.fn(), complete: vi.fn() };
}

const payload = { query: 'subscription { activeSessionCount { count } }' };

describe('resubscribing', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('subscribes again after the server ends a subscription with an error, shows the error meanwhile, and clears it with the next value', () => {
    vi.useFakeTimers();
    const s = server();
    const sink = page();
    resubscribing(s.ws, payload, sink);
    s.sinks[0].next({ data: { activeSessionCount: { count: 0 } } });
    const refused = [{ message: 'the server failed', extensions: { code: 'INTERNAL_SERVER_ERROR' } }];
    s.sinks[0].error(refused);
    expect(sink.next).toHaveBeenLastCalledWith({ errors: refused });
    expect(sink.error).not.toHaveBeenCalled();
    expect(s.sinks).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(s.sinks).toHaveLength(2);
    s.sinks[1].error(refused);
    vi.advanceTimersByTime(1999);
    expect(s.sinks).toHaveLength(2); // backs off: 1 s, 2 s, 4 s ... at most 30 s
    vi.advanceTimersByTime(1);
    expect(s.sinks).toHaveLength(3);
    s.sinks[2].next({ data: { activeSessionCount: { count: 1 } } });
    expect(sink.next).toHaveBeenLastCalledWith({ data: { activeSessionCount: { count: 1 } }, errors: [] });
    s.sinks[2].next({ data: { activeSessionCount: { count: 2 } } });
    expect(sink.next).toHaveBeenLastCalledWith({ data: { activeSessionCount: { count: 2 } } });
  });

  it('ends the subscription on a refusal that asking again does not change, and on a socket the client gave up', () => {
    vi.useFakeTimers();
    for (const error of [[{ message: 'bad', extensions: { code: 'BAD_USER_INPUT' } }], new Error('closed for good')]) {
      const s = server();
      const sink = page();
      resubscribing(s.ws, payload, sink);
      s.sinks[0].error(error);
      expect(sink.error).toHaveBeenCalledWith(error);
      vi.advanceTimersByTime(60_000);
      expect(s.sinks).toHaveLength(1);
    }
  });

  it('does not subscribe again once the page has let go of it', () => {
    vi.useFakeTimers();
    const s = server();
    const sink = page();
    const unsubscribe = resubscribing(s.ws, payload, sink);
    s.sinks[0].error([{ message: 'the server failed', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    unsubscribe();
    vi.advanceTimersByTime(60_000);
    expect(s.sinks).toHaveLength(1);
    expect(s.unsubscribed).toEqual([0]);
  });
});
