import { createContext, useContext } from 'react';
import { graphql, type ResultOf } from './graphql';

export const ME = graphql(`
  query Me {
    me {
      id
      userPrincipalName
      profile {
        displayName
      }
      effectiveAdminPermissions
    }
    tenant {
      id
      displayName
      cloud
    }
  }
`);

export type Me = NonNullable<ResultOf<typeof ME>['me']> & { tenant: ResultOf<typeof ME>['tenant'] };
export type AdminPermission = Me['effectiveAdminPermissions'][number];

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside a signed-in page');
  return me;
}

export function useCan(permission: AdminPermission): boolean {
  return useMe().effectiveAdminPermissions.includes(permission);
}
