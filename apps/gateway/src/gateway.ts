import { ApolloGateway, GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { Caller, createInternalTokenSigner, DEV_ISSUER, ensureDevIssuerKeys, IssuerConfig } from '@remote-help/auth';
import { createErrorFormatter } from '@remote-help/service-kit';
import express from 'express';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { GatewayConfig, SUBGRAPHS, subgraphUrl } from './config';
import { IdentityService } from './identity';
import { InternalSigner, SubgraphClient } from './subgraph-client';
import { ChatFeed } from './subscriptions/chat-feed';
import { EventFeed } from './subscriptions/event-feed';
import { QueryResult } from './subscriptions/gateway-query';
import { Hub } from './subscriptions/hub';
import { startSubscriptionServer } from './subscriptions/subscription-server';
import { GraphQLSchema } from 'graphql';

export interface GatewayContext {
  caller: Caller;
  requestId: string;
}

/** Passes the verified caller on to each subgraph as a short-lived internal token for that subgraph. */
class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly audience: string,
    private readonly signer: InternalSigner,
    timeoutMs: number,
  ) {
    super({ url });
    this.fetcher = ((input: string, init: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as never;
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    if (!context?.caller) return;
    request.http!.headers.set('authorization', `Bearer ${await this.signer.sign(context.caller, this.audience, context.requestId)}`);
    request.http!.headers.set('x-request-id', context.requestId);
  }
}

export interface Gateway {
  app: express.Express;
  hub: Hub;
  eventFeedStarted: Promise<void>;
  httpServer: http.Server;
  listen(): Promise<string>;
  stop(): Promise<void>;
}

export async function createGateway(config: GatewayConfig): Promise<Gateway> {
  const log = pino({ name: 'gateway', level: config.LOG_LEVEL });
  const production = config.NODE_ENV === 'production';
  const signer = createInternalTokenSigner(fs.readFileSync(config.INTERNAL_JWT_PRIVATE_KEY_FILE, 'utf8'));

  const issuers: IssuerConfig[] = [];
  const devIssuer = config.DEV_ISSUER_ENABLED ?? !production;
  if (devIssuer) {
    const { jwks } = await ensureDevIssuerKeys(config.DEV_ISSUER_KEYS_DIR);
    issuers.push({ issuer: DEV_ISSUER, audience: config.AUTH_AUDIENCE, localJwks: jwks });
  }
  const subgraphClient = new SubgraphClient(signer, config.SUBGRAPH_TIMEOUT_MS);
  const tenantUrl = subgraphUrl(config, 'tenant');
  const identity = new IdentityService(issuers, {
    resolve: (id) =>
      subgraphClient.post(tenantUrl, 'tenant-service', '/internal/principals/resolve', {
        tenantId: id.tenantId,
        userObjectId: id.userObjectId,
        upn: id.upn,
        deviceId: id.deviceId,
      }),
  });

  const gateway = new ApolloGateway({
    supergraphSdl: fs.readFileSync(config.SUPERGRAPH_PATH, 'utf8'),
    buildService: ({ name }) => {
      const s = SUBGRAPHS.find((x) => x.name === name);
      if (!s) throw new Error(`the supergraph names an unknown subgraph: ${name}`);
      return new AuthenticatedDataSource(config[s.env], s.service, signer, config.SUBGRAPH_TIMEOUT_MS);
    },
  });

  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => {
    apiSchema = schema;
  });

  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  // Idle keep-alive connections outlive the clients' own idle timeouts, so that a client never
  // sends a request on a connection the server is closing at that moment.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    formatError: createErrorFormatter((err, formatted) => log.error({ err, path: formatted.path }, formatted.message)),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ...(production ? [ApolloServerPluginLandingPageDisabled()] : [])],
  });
  await server.start();

  // Subscriptions: graphql-ws on the same server and path, fed from Kafka and the chat stream.
  const hub = new Hub();
  const eventFeed = new EventFeed(hub, { brokers: config.KAFKA_BROKERS, topicPrefix: config.KAFKA_TOPIC_PREFIX, log });
  const feedStarted = eventFeed.start().catch((e) => log.error({ err: (e as Error).message }, 'event feed failed to start'));
  const chatFeed = new ChatFeed(hub, {
    url: new URL('/internal/chat-stream', subgraphUrl(config, 'session')).toString(),
    token: () => signer.sign({ kind: 'service', service: 'gateway' }, 'session-service'),
    log,
  });
  chatFeed.start();
  const runQuery = async (query: string, variables: Record<string, unknown>, caller: Caller): Promise<QueryResult> => {
    const res = await server.executeOperation({ query, variables }, { contextValue: { caller, requestId: randomUUID() } });
    if (res.body.kind !== 'single') throw new Error('incremental delivery is not used here');
    return res.body.singleResult as QueryResult;
  };
  const subscriptions = startSubscriptionServer({
    httpServer,
    apiSchema: apiSchema!,
    hub,
    authenticate: (authorization) => identity.authenticate(typeof authorization === 'string' ? authorization : undefined),
    runQuery,
    adminPermissions: async (caller) => {
      if (caller.kind !== 'user') return [];
      const res = await subgraphClient.post<{ permissions: string[] }>(subgraphUrl(config, 'rbac'), 'rbac-service', '/internal/admin-permissions', { tenantId: caller.tenantId, userId: caller.userId });
      return res.permissions;
    },
    log,
  });

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    const checks = await Promise.all(
      SUBGRAPHS.map(async (s) => {
        const url = new URL('/health/live', config[s.env]).toString();
        const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
        return [s.service, ok] as const;
      }),
    );
    const ok = checks.every(([, up]) => up) && eventFeed.ready;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', subgraphs: Object.fromEntries(checks), eventFeed: eventFeed.ready, chatStream: chatFeed.connected });
  });

  app.use(
    '/graphql',
    (req, res, next) => {
      const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 128) || randomUUID();
      res.setHeader('x-request-id', id);
      (req as { requestId?: string }).requestId = id;
      next();
    },
    express.json({ limit: config.MAX_BODY_BYTES }),
    expressMiddleware(server, {
      context: async ({ req }) => {
        const requestId = (req as { requestId?: string }).requestId ?? randomUUID();
        try {
          return { caller: await identity.authenticate(req.headers.authorization), requestId };
        } catch (e) {
          (e as { extensions?: Record<string, unknown> }).extensions!.http = { status: 401 };
          throw e;
        }
      },
    }),
  );

  app.use((_req, res) => {
    res.status(404).json({ errors: [{ message: 'not found', extensions: { code: 'NOT_FOUND' } }] });
  });
  // Malformed JSON, oversized bodies and the like: a GraphQL-shaped error, never a stack trace.
  app.use((err: { status?: number; type?: string; message?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err }, 'unhandled error');
    const message = status === 413 ? 'request body too large' : status < 500 ? `bad request: ${err.type === 'entity.parse.failed' ? 'the body is not valid JSON' : (err.message ?? 'invalid request')}` : 'Internal server error';
    res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }] });
  });

  return {
    app,
    httpServer,
    listen: () =>
      new Promise((resolve) =>
        httpServer.listen(config.PORT, config.HOST, () => {
          const url = `http://${config.HOST}:${config.PORT}/graphql`;
          log.info({ url, devIssuer }, `gateway listening on ${url}`);
          resolve(url);
        }),
      ),
    hub,
    eventFeedStarted: feedStarted,
    stop: async () => {
      chatFeed.stop();
      await subscriptions.stop();
      await eventFeed.stop();
      await server.stop();
      if (httpServer.listening) await new Promise<void>((r) => httpServer.close(() => r()));
    },
  };
}
