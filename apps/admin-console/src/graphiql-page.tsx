import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { useMemo } from 'react';
import { useAuth } from './auth';
import { apiUrls, useConfig } from './config';

/**
 * GraphiQL, bundled with the console (no asset from outside the gateway): queries and mutations
 * over HTTP, subscriptions over graphql-ws, with the console's token (a pasted
 * `{"authorization": "Bearer ..."}` in the headers editor takes its place).
 */
export default function GraphiQLPage() {
  const { token } = useAuth();
  const config = useConfig();
  const fetcher = useMemo(() => {
    const urls = apiUrls(config);
    const authorization = `Bearer ${token}`;
    return createGraphiQLFetcher({ url: urls.http, subscriptionUrl: urls.ws, headers: { authorization }, wsConnectionParams: { authorization } });
  }, [config, token]);
  return (
    <section className="graphiql-host" aria-label="GraphQL explorer">
      <h1 className="sr-only">GraphQL explorer</h1>
      <GraphiQL fetcher={fetcher} defaultQuery={'# The API of this Remote Help tenant, with your sign-in.\n{\n  me { userPrincipalName effectiveAdminPermissions }\n  tenant { displayName activeSessionCount }\n}\n'} />
    </section>
  );
}
