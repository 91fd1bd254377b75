import type { Caller } from '@remote-help/auth';
import { buildSchema, GraphQLError, GraphQLFieldConfig, GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema, parse, ParseOptions, printSchema, specifiedRules, validate, ValidationRule } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type * as http from 'node:http';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { ChatStreamMessage } from '@remote-help/events';
import { chatChannel, countChannel, sessionChannel } from './event-feed';
import { firstError, isSubscriptionOperation, QueryResult, selectionQuery, selectionVariables } from './gateway-query';
import { Hub } from './hub';

export interface SubscriptionDeps {
  httpServer: http.Server;
  apiSchema: GraphQLSchema;
  hub: Hub;
  authenticate(authorization: unknown): Promise<Caller>;
  /** Runs a query through the gateway as this caller (query planning, subgraphs, their checks). */
  runQuery(query: string, variables: Record<string, unknown>, caller: Caller): Promise<QueryResult>;
  /** The same limits as over HTTP (depth, aliases, directives, tokens, cost). */
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
  /** Takes one operation from the caller's rate-limit budgets; throws when over. */
  admitOperation(caller: Caller): Promise<void>;
  /** The caller's admin permissions (fails closed: throws when they cannot be read). */
  adminPermissions(caller: Caller): Promise<string[]>;
  log: Logger;
}

interface WsContext {
  caller: Caller;
}

/**
 * graphql-ws on the gateway's own HTTP server and path: @apollo/gateway does not execute
 * subscriptions, so this server does, over the gateway's API schema. A caller authenticates in
 * `onConnect` (`connectionParams.authorization`, the same bearer token as over HTTP), and each
 * subscription is authorised when it starts. Pushed payloads come from the hub (fed by Kafka and
 * by session-service's chat stream); fields an event does not carry are resolved by querying
 * the gateway with the subscriber's own identity.
 */
export function startSubscriptionServer(deps: SubscriptionDeps) {
  const schema = subscriptionSchema(deps);
  const wsServer = new WebSocketServer({ server: deps.httpServer, path: '/graphql', maxPayload: 64 * 1024 });
  const server = useServer<Record<string, unknown> | undefined, { caller?: Caller }>(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          ctx.extra.caller = await deps.authenticate(ctx.connectionParams?.authorization);
          return true;
        } catch (e) {
          deps.log.info({ reason: (e as Error).message }, 'subscription connection refused');
          return false; // closes with 4403 Forbidden
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        // Only subscriptions travel over the WebSocket (queries and mutations go over HTTP, where
        // the gateway plans them), under the same limits and rate budgets as HTTP requests.
        let document;
        try {
          document = parse(payload.query, deps.parseOptions);
        } catch (e) {
          return [new GraphQLError(`the subscription does not parse: ${(e as Error).message}`, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        if (!isSubscriptionOperation(document, payload.operationName)) {
          return [new GraphQLError('only subscriptions are served over WebSocket: send queries and mutations over HTTP', { extensions: { code: 'BAD_USER_INPUT' } })];
        }
        const errors = validate(schema, document, [...specifiedRules, ...deps.validationRules]);
        if (errors.length) return errors;
        try {
          await deps.admitOperation(ctx.extra.caller!);
        } catch (e) {
          return [e instanceof GraphQLError ? e : new GraphQLError('too many requests', { extensions: { code: 'RATE_LIMITED' } })];
        }
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables ?? undefined, contextValue: { caller: ctx.extra.caller! } satisfies WsContext };
      },
      context: (ctx): WsContext => ({ caller: ctx.extra.caller! }),
    },
    wsServer,
  );
  return {
    wsServer,
    async stop() {
      await server.dispose();
      await new Promise<void>((r) => wsServer.close(() => r()));
    },
  };
}

function subscriptionSchema(deps: SubscriptionDeps): GraphQLSchema {
  // A copy of the API schema, so that the resolvers below never touch the one Apollo serves.
  const schema = buildSchema(printSchema(deps.apiSchema));
  const subscription = schema.getSubscriptionType();
  if (!subscription) return schema;
  const resolvers: Record<string, Partial<GraphQLFieldConfig<unknown, WsContext>>> = {
    activeSessionCount: {
      subscribe: async (_root, _args, ctx) => {
        const permissions = await deps.adminPermissions(ctx.caller).catch(() => {
          throw new GraphQLError('cannot verify your permissions right now', { extensions: { code: 'FORBIDDEN' } });
        });
        if (!permissions.includes('READ_REPORTS')) throw new GraphQLError('you need the READ_REPORTS permission for this', { extensions: { code: 'FORBIDDEN' } });
        const tenantId = ctx.caller.tenantId!;
        const live = deps.hub.subscribe(countChannel(tenantId), { mode: 'latest' });
        const now = await deps.runQuery('{ tenant { id activeSessionCount } }', {}, ctx.caller);
        const err = firstError(now);
        if (err) {
          await live.return();
          throw err;
        }
        const count = (now.data as { tenant: { activeSessionCount: number } }).tenant.activeSessionCount;
        live.offerInitial({ tenantId, count, at: new Date().toISOString() });
        return live;
      },
      resolve: (payload) => payload,
    },
    sessionUpdated: {
      subscribe: async (_root, args, ctx) => {
        const id = String((args as { sessionId: string }).sessionId);
        await requireParty(deps, ctx.caller, id);
        return deps.hub.subscribe(sessionChannel(id), { mode: 'latest' });
      },
      resolve: async (facts, _args, ctx, info) => fetchThroughGateway(deps, 'session', (facts as { sessionId: string }).sessionId, ctx, info),
    },
    chatMessages: {
      subscribe: async (_root, args, ctx) => {
        const id = String((args as { sessionId: string }).sessionId);
        await requireParty(deps, ctx.caller, id);
        return deps.hub.subscribe(chatChannel(id), { mode: 'queue', max: 200 });
      },
      resolve: (msg) => {
        const m = msg as ChatStreamMessage;
        return { id: m.id, sessionId: m.sessionId, text: m.text, sentAt: m.sentAt, __fromUserId: m.fromUserId };
      },
    },
  };
  const fields = subscription.getFields();
  for (const [name, r] of Object.entries(resolvers)) {
    if (fields[name]) Object.assign(fields[name], r);
  }
  const chatMessage = schema.getType('ChatMessage');
  if (chatMessage instanceof GraphQLObjectType && chatMessage.getFields().from) {
    chatMessage.getFields().from.resolve = (msg, _args, ctx, info) => fetchThroughGateway(deps, 'user', (msg as { __fromUserId: string }).__fromUserId, ctx as WsContext, info);
  }
  return schema;
}

async function requireParty(deps: SubscriptionDeps, caller: Caller, sessionId: string) {
  const r = await deps.runQuery('query ($id: ID!) { session(id: $id) { id } }', { id: sessionId }, caller);
  const err = firstError(r);
  if (err) throw err;
  if (!(r.data as { session: unknown } | undefined)?.session) throw new GraphQLError('session not found', { extensions: { code: 'NOT_FOUND' } });
}

async function fetchThroughGateway(deps: SubscriptionDeps, rootField: string, id: string, ctx: WsContext, info: GraphQLResolveInfo) {
  const r = await deps.runQuery(selectionQuery(rootField, info), selectionVariables(info, id), ctx.caller);
  const err = firstError(r);
  if (err) throw err;
  const result = (r.data as { result: unknown } | undefined)?.result;
  if (!result) throw new GraphQLError(`${rootField} not found`, { extensions: { code: 'NOT_FOUND' } });
  return result;
}
