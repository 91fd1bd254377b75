import { useSubscription } from 'urql';
import { graphql } from './graphql';

const COUNT = graphql(`
  subscription ActiveSessionCount { activeSessionCount { tenantId count at } }
`);

/** The tenant's active-session count, pushed on every change (graphql-ws; reconnects and catches up). */
export function useActiveSessionCount(): { count: number | null; at: string | null; error: Error | null | undefined } {
  const [{ data, error }] = useSubscription({ query: COUNT });
  return { count: data?.activeSessionCount.count ?? null, at: data?.activeSessionCount.at ?? null, error };
}
