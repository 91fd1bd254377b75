import type { ApolloServer, BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { ApolloFederationDriverConfig } from '@nestjs/apollo';
import { ApolloFederationDriver } from '@nestjs/apollo';
import type { DynamicModule, Type } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { Request, RequestHandler, Response } from 'express';
import { createErrorFormatter } from './errors';
import { graphqlMiddleware } from './graphql-middleware';

/** What `registerExpress` of @nestjs/apollo's driver uses of it (the pinned version's internals). */
interface DriverInternals {
  httpAdapterHost: { httpAdapter: { getInstance(): { router: { stack: { handle: unknown }[] } } } };
  apolloServer: ApolloServer<BaseContext>;
}

/**
 * The federation driver with Apollo Server served by `graphqlMiddleware` (as the gateway serves it)
 * instead of @as-integrations/express5, which parses every request's URL with the legacy
 * `url.parse` and answers through Express's `res.send` (content-type parsing, freshness checks):
 * ~7% of a subgraph's CPU per request between them. Nest mounts two handlers on the GraphQL path
 * (one defaulting `req.body`, then Apollo's); the second is swapped for ours once Apollo has
 * started. If a new @nestjs/apollo mounts them differently, the service refuses to start.
 */
export class SubgraphDriver extends ApolloFederationDriver {
  override async registerExpress(options: ApolloFederationDriverConfig, hooks?: { preStartHook?: () => void }): Promise<void> {
    const self = this as unknown as DriverInternals;
    const stack = self.httpAdapterHost.httpAdapter.getInstance().router.stack;
    const before = stack.length;
    await (super.registerExpress as (o: unknown, h?: unknown) => Promise<void>)(options, hooks);
    if (stack.length !== before + 2 || !self.apolloServer) {
      throw new Error(`@nestjs/apollo mounted ${stack.length - before} handlers for GraphQL, not the 2 this service replaces one of; check SubgraphDriver against the installed version`);
    }
    const context = options.context as ((c: { req: Request; res: Response }) => BaseContext | Promise<BaseContext>) | undefined;
    const handler = graphqlMiddleware(self.apolloServer, async (req, res) => (context ? context({ req, res }) : {}));
    stack[stack.length - 1].handle = handler;
    graphqlHandlers.set(self.httpAdapterHost.httpAdapter.getInstance(), handler);
  }
}

/** The GraphQL handler SubgraphDriver mounted on each Express app (for the front, see graphql-front.ts). */
const graphqlHandlers = new WeakMap<object, RequestHandler>();

/** The handler SubgraphDriver mounted on this Express app, if it mounted one. */
export function subgraphGraphQLHandler(expressApp: object): RequestHandler | undefined {
  return graphqlHandlers.get(expressApp);
}

/** The Apollo Federation 2 subgraph of a service (code first). */
export function subgraphGraphQLModule(opts: { production: boolean; orphanedTypes?: Type[] }): DynamicModule {
  const log = new Logger('GraphQL');
  return GraphQLModule.forRoot<ApolloFederationDriverConfig>({
    driver: SubgraphDriver,
    autoSchemaFile: { federation: 2 },
    sortSchema: true,
    buildSchemaOptions: { orphanedTypes: opts.orphanedTypes ?? [] },
    path: '/graphql',
    graphiql: false,
    playground: false,
    includeStacktraceInErrorResponses: false,
    // Traces are for Apollo's hosted studio, which this system does not use; cache hints, for
    // HTTP caches of GET queries, which the gateway does not send (it POSTs).
    // (cast: Nest loads the ESM build of @apollo/server, this file the CommonJS one; plugins are plain objects)
    plugins: [ApolloServerPluginInlineTraceDisabled() as never, ApolloServerPluginCacheControlDisabled() as never],
    context: ({ req }: { req: { caller?: unknown; id?: string } }) => ({ req, caller: req.caller, requestId: req.id }),
    formatError: createErrorFormatter((err, formatted) => log.error(`${formatted.message} at ${JSON.stringify(formatted.path ?? [])}: ${(err as Error)?.stack ?? String(err)}`)),
  });
}
