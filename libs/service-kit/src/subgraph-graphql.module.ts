import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloFederationDriver, ApolloFederationDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Logger } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { createErrorFormatter } from './errors';

/** The Apollo Federation 2 subgraph of a service (code first). */
export function subgraphGraphQLModule(opts: { production: boolean; orphanedTypes?: Function[] }): DynamicModule {
  const log = new Logger('GraphQL');
  return GraphQLModule.forRoot<ApolloFederationDriverConfig>({
    driver: ApolloFederationDriver,
    autoSchemaFile: { federation: 2 },
    sortSchema: true,
    buildSchemaOptions: { orphanedTypes: opts.orphanedTypes ?? [] },
    path: '/graphql',
    graphiql: false,
    playground: false,
    includeStacktraceInErrorResponses: false,
    // Traces are for Apollo's hosted studio, which this system does not use.
    // (cast: Nest loads the ESM build of @apollo/server, this file the CommonJS one; plugins are plain objects)
    plugins: [ApolloServerPluginInlineTraceDisabled() as never],
    context: ({ req }: { req: { caller?: unknown; id?: string } }) => ({ req, caller: req.caller, requestId: req.id }),
    formatError: createErrorFormatter((err, formatted) =>
      log.error(`${formatted.message} at ${JSON.stringify(formatted.path ?? [])}: ${(err as Error)?.stack ?? String(err)}`),
    ),
  });
}
