import { createContext, useContext, useSyncExternalStore } from 'react';
import { useSubscription } from 'urql';
import type { LiveConnection } from './client';
import { graphql } from './graphql';

const COUNT = graphql(`
  subscription ActiveSessionCount {
    activeSessionCount {
      tenantId
      count
      at
    }
  }
`);

/** The tenant's active-session count, pushed on every change (graphql-ws; reconnects and catches up). */
export function useActiveSessionCount(): { count: number | null; at: string | null; error: Error | null | undefined } {
  const [{ data, error }] = useSubscription({ query: COUNT });
  return { count: data?.activeSessionCount.count ?? null, at: data?.activeSessionCount.at ?? null, error };
}

export const LiveContext = createContext<LiveConnection | null>(null);

/** Whether live updates flow: false while the socket is down (graphql-ws reconnects; the count catches up then). */
export function useLiveConnected(): boolean {
  const live = useContext(LiveContext);
  return useSyncExternalStore(live?.onChange ?? (() => () => undefined), () => live?.connected() ?? false);
}
