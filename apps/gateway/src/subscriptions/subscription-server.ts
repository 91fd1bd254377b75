import { callerSubject, type Caller } from '@remote-help/auth';
import type { DocumentNode, GraphQLFieldConfig, GraphQLResolveInfo, GraphQLSchema, ParseOptions, ValidationRule } from 'graphql';
import { buildSchema, getOperationAST, GraphQLError, GraphQLObjectType, parse, printSchema, specifiedRules, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type * as http from 'node:http';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { ChatStreamMessage } from '@remote-help/events';
import { operationRootField, type ProcessMetrics } from '@remote-help/metrics';
import { SharedResults } from '@remote-help/service-kit';
import { chatChannel, countChannel, sessionChannel } from './event-feed';
import type { QueryResult } from './gateway-query';
import { firstError, isSubscriptionOperation, selectionQuery, selectionVariables } from './gateway-query';
import type { Hub } from './hub';
import { sharedSubscribe } from './shared-execution';

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
  /** Undefined once every event published from then on reaches the hub; before, a promise of that moment (EventFeed.untilPositioned). */
  untilFeedPositioned(): Promise<void> | undefined;
  /** The caller's admin permissions (fails closed: throws when they cannot be read). */
  adminPermissions(caller: Caller): Promise<string[]>;
  log: Logger;
  /** Counts open connections and running subscriptions. */
  metrics?: ProcessMetrics;
}

const KEEP_ALIVE_MS = 30_000;

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
  // No compression: every payload is small, and a deflate context costs hundreds of KB per socket.
  const wsServer = new WebSocketServer({ server: deps.httpServer, path: '/graphql', maxPayload: 64 * 1024, perMessageDeflate: false });
  const documents = new Map<string, DocumentNode>();
  const running = countSubscriptions(wsServer, deps.metrics);
  const server = useServer<Record<string, unknown> | undefined, { caller?: Caller }>(
    {
      schema,
      // A change of a tenant's count is executed once and the result sent to all its dashboards.
      subscribe: sharedSubscribe(new Set(['activeSessionCount'])),
      onConnect: async (ctx) => {
        try {
          ctx.extra.caller = await deps.authenticate(ctx.connectionParams?.authorization);
          return true;
        } catch (e) {
          deps.log.info({ reason: (e as Error).message }, 'subscription connection refused');
          return false; // closes with 4403 Forbidden
        } finally {
          // Kept for the connection's life otherwise: the token, and the upgrade request with its headers.
          if (ctx.connectionParams) delete (ctx.connectionParams as Record<string, unknown>).authorization;
          (ctx.extra as { request?: unknown }).request = undefined;
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        // Only subscriptions travel over the WebSocket (queries and mutations go over HTTP, where
        // the gateway plans them), under the same limits and rate budgets as HTTP requests. A
        // document that passed is remembered by its text (dashboards all send the same one).
        let document = documents.get(payload.query);
        if (!document) {
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
          if (documents.size >= 500) documents.clear();
          if (payload.query.length <= 4096) documents.set(payload.query, document);
        } else if (!isSubscriptionOperation(document, payload.operationName)) {
          return [new GraphQLError('only subscriptions are served over WebSocket: send queries and mutations over HTTP', { extensions: { code: 'BAD_USER_INPUT' } })];
        }
        try {
          await deps.admitOperation(ctx.extra.caller!);
        } catch (e) {
          return [e instanceof GraphQLError ? e : new GraphQLError('too many requests', { extensions: { code: 'RATE_LIMITED' } })];
        }
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables ?? undefined, contextValue: { caller: ctx.extra.caller! } satisfies WsContext };
      },
      context: (ctx): WsContext => ({ caller: ctx.extra.caller! }),
      onOperation: (ctx, id, _payload, args, result) => running.started(ctx, id, args.document, args.operationName, result),
      onComplete: (ctx, id) => running.ended(ctx, id),
    },
    wsServer,
    // Each socket is pinged at this interval and closed when it does not answer within it: 30 s
    // finds dead peers well before the usual 60 s idle timeouts of proxies, at 2.5 times less
    // background work than graphql-ws's 12 s (a write, a read and two timers per socket and ping).
    KEEP_ALIVE_MS,
  );
  return {
    wsServer,
    async stop() {
      await server.dispose();
      await new Promise<void>((r) => wsServer.close(() => r()));
    },
  };
}

/**
 * The metrics of the WebSocket endpoint: open connections, and subscriptions by root field from
 * the time they run (onOperation with an event stream) until they end (onComplete, which
 * graphql-ws also calls when the socket closes).
 */
function countSubscriptions(wsServer: WebSocketServer, metrics: ProcessMetrics | undefined) {
  const labels = new WeakMap<object, Map<string, string>>();
  if (metrics) {
    wsServer.on('connection', (socket) => {
      metrics.websocketConnections.inc();
      socket.once('close', () => metrics.websocketConnections.dec());
    });
  }
  return {
    started(ctx: object, id: string, document: DocumentNode, operationName: string | null | undefined, result: unknown) {
      if (!metrics || !(result && typeof result === 'object' && Symbol.asyncIterator in result)) return;
      const subscription = metrics.operationLabel(operationRootField(getOperationAST(document, operationName)));
      let ids = labels.get(ctx);
      if (!ids) labels.set(ctx, (ids = new Map()));
      ids.set(id, subscription);
      metrics.subscriptions.inc({ subscription });
    },
    ended(ctx: object, id: string) {
      const ids = labels.get(ctx);
      const subscription = ids?.get(id);
      if (!metrics || subscription === undefined) return;
      ids!.delete(id);
      metrics.subscriptions.dec({ subscription });
    },
  };
}

const callerKey = (c: Caller) => `${c.tenantId ?? ''}/${callerSubject(c)}`;

function subscriptionSchema(deps: SubscriptionDeps): GraphQLSchema {
  // A copy of the API schema, so that the resolvers below never touch the one Apollo serves.
  const schema = buildSchema(printSchema(deps.apiSchema));
  const subscription = schema.getSubscriptionType();
  if (!subscription) return schema;
  // Shared among subscriptions of the same caller: their admin permissions for 1 s (a revoked
  // permission stops new subscriptions within that), and the current count read through the
  // gateway, while nothing has been published to the tenant's count channel since it was read.
  const permissions = new SharedResults<string[]>(1_000);
  const counts = new SharedResults<number>(10_000);
  const resolvers: Record<string, Partial<GraphQLFieldConfig<unknown, WsContext>>> = {
    activeSessionCount: {
      subscribe: async (_root, _args, ctx) => {
        const granted = await permissions
          .get(callerKey(ctx.caller), undefined, () => deps.adminPermissions(ctx.caller))
          .catch(() => {
            throw new GraphQLError('cannot verify your permissions right now', { extensions: { code: 'FORBIDDEN' } });
          });
        if (!granted.includes('READ_REPORTS')) throw new GraphQLError('you need the READ_REPORTS permission for this', { extensions: { code: 'FORBIDDEN' } });
        const tenantId = ctx.caller.tenantId!;
        const channel = countChannel(tenantId);
        // A gateway that has just started (dashboards reconnect to it at once) serves
        // subscriptions before its event feed has a place in Kafka: a change published meanwhile
        // never reaches the hub, and the count read now would stay on screen until the next one.
        const positioning = deps.untilFeedPositioned();
        const live = deps.hub.subscribe(channel, { mode: 'latest' });
        const readCount = async () => {
          const now = await deps.runQuery('{ tenant { id activeSessionCount } }', {}, ctx.caller);
          const err = firstError(now);
          if (err) throw err; // never shared: the next subscription asks again
          return (now.data as { tenant: { activeSessionCount: number } }).tenant.activeSessionCount;
        };
        // A failed read is tried once more by each subscription that was waiting for it, so that
        // one failure does not refuse every subscription that shared it. A count read before the
        // feed is positioned is shared only with others read then.
        const key = `${callerKey(ctx.caller)}${positioning ? ' before the feed' : ''}`;
        const shared = () => counts.get(key, deps.hub.revision(channel), readCount);
        const count = await shared()
          .catch(shared)
          .catch(async (e) => {
            await live.return();
            throw e;
          });
        live.offerInitial({ tenantId, count, at: new Date().toISOString() });
        // So, once every later change is sure to come, the count is read again and sent, unless
        // a change has come meanwhile (then it is at least as new, and any later one follows).
        void positioning?.then(async () => {
          const revision = deps.hub.revision(channel);
          const now = await counts.get(callerKey(ctx.caller), revision, readCount).catch(() => undefined);
          if (now !== undefined && deps.hub.revision(channel) === revision) live.push({ tenantId, count: now, at: new Date().toISOString() });
        });
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
