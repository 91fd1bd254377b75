import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { applyHttpServerTimeouts, GracefulShutdown, graphqlMiddleware, HttpClient } from '@remote-help/service-kit';
import { stopTracing } from '@remote-help/tracing';
import type { Caller, IssuerConfig } from '@remote-help/auth';
import { createInternalTokenSigner, createTokenVerifier, DEV_ISSUER, discoverIssuersInBackground, ensureDevIssuerKeys, TENANT_PLACEHOLDER } from '@remote-help/auth';
import express from 'express';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { GatewayConfig } from './config';
import { SUBGRAPHS, subgraphUrl } from './config';
import { IdentityService } from './identity';
import { gatewayMetrics } from './metrics';
import { SubgraphClient } from './subgraph-client';
import { SubgraphDataSource } from './subgraph-data-source';
import { consoleIssuers, consoleRoutes, explorerRedirect } from './console/console-routes';
import { exportRoutes } from './exports/export-proxy';
import { ChatFeed } from './subscriptions/chat-feed';
import { EventFeed } from './subscriptions/event-feed';
import type { QueryResult } from './subscriptions/gateway-query';
import { Hub } from './subscriptions/hub';
import { startSubscriptionServer } from './subscriptions/subscription-server';
import type { GraphQLSchema } from 'graphql';
import { createGatewayErrorFormatter } from './security/errors';
import { corsPolicy, securityHeaders } from './security/http';
import { queryLimits } from './security/query-limits';
import { rateLimitPlugin, RateLimits } from './security/rate-limits';
import { RateLimitSync } from './security/rate-limit-sync';
import { TOPICS, topicName } from '@remote-help/events';
import * as os from 'node:os';

export interface GatewayContext {
  caller: Caller;
  requestId: string;
  /** The gateway's own operations (subscription payloads): not counted against the caller's rate limits. */
  internal?: boolean;
}

export interface Gateway {
  app: express.Express;
  httpServer: http.Server;
  /** Readiness turns false on SIGTERM (`main` starts it; `stop` is its orderly part). */
  shutdown: GracefulShutdown;
  listen(): Promise<string>;
  /**
   * Stops accepting connections, closes the WebSocket clients (1001 Going Away: graphql-ws
   * reconnects, to another replica), waits for the HTTP requests in flight, then stops the feeds.
   */
  stop(): Promise<void>;
}

export async function createGateway(config: GatewayConfig): Promise<Gateway> {
  const log = pino({ name: 'gateway', level: config.LOG_LEVEL });
  const production = config.NODE_ENV === 'production';
  const observability = gatewayMetrics(config, log);
  const signer = createInternalTokenSigner(fs.readFileSync(config.INTERNAL_JWT_PRIVATE_KEY_FILE, 'utf8'));

  const issuers: IssuerConfig[] = [];
  const devIssuer = config.DEV_ISSUER_ENABLED ?? !production;
  if (devIssuer) {
    const { jwks } = await ensureDevIssuerKeys(config.DEV_ISSUER_KEYS_DIR);
    issuers.push({ issuer: DEV_ISSUER, audience: config.AUTH_AUDIENCE, localJwks: jwks });
    if (production) log.warn('the development issuer is enabled in production (DEV_ISSUER_ENABLED=true): anyone holding its key can sign in to any tenant');
  }
  const verifier = createTokenVerifier(issuers);
  // OpenID Connect issuers: discovered now, and retried in the background while one is down, so
  // that the gateway starts (and serves the other issuers) whatever the identity providers do.
  const discovery = discoverIssuersInBackground(config.OIDC_ISSUERS, verifier, {
    onDiscovered: (c, spec) => {
      log.info({ issuer: c.issuer, discoveryUrl: spec.discoveryUrl, jwksUri: c.jwksUri }, 'OpenID Connect issuer discovered');
      if (!c.tenants && !c.issuer.includes(TENANT_PLACEHOLDER)) log.warn({ issuer: c.issuer }, 'this OpenID Connect issuer may sign in to every tenant: bind it to its tenants with "tenants" unless it serves them all');
    },
    onError: (spec, e, retryInMs) => log.warn({ discoveryUrl: spec.discoveryUrl, err: e.message, retryInMs }, retryInMs < 0 ? 'OpenID Connect issuer refused' : 'OpenID Connect discovery failed; retrying'),
  });
  await Promise.race([discovery.firstRound, new Promise((r) => setTimeout(r, 3_000).unref())]);
  // One keep-alive pool for every call to the subgraphs: the query plans' fetches and the
  // gateway's own internal calls.
  const subgraphHttp = new HttpClient(config.SUBGRAPH_TIMEOUT_MS);
  const subgraphClient = new SubgraphClient(signer, subgraphHttp);
  const tenantUrl = subgraphUrl(config, 'tenant');
  const identity = new IdentityService(verifier, {
    resolve: (q) => subgraphClient.post(tenantUrl, 'tenant-service', '/internal/principals/resolve', { tenantId: q.tenantId, upn: q.upn, deviceId: q.deviceId }),
  });
  const rateLimits = new RateLimits(
    {
      windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
      perCaller: config.RATE_LIMIT_PER_CALLER,
      perTenant: config.RATE_LIMIT_PER_TENANT,
      strictPerCaller: config.RATE_LIMIT_SESSION_PER_CALLER,
      strictPerTenant: config.RATE_LIMIT_SESSION_PER_TENANT,
    },
    { share: config.RATE_LIMIT_SYNC_MS > 0 },
  );
  /** Authenticates a client (HTTP request or WebSocket connection) and takes one request from its budgets. */
  const admit = async (authorization: string | undefined): Promise<Caller> => {
    let caller: Caller;
    try {
      caller = await identity.authenticate(authorization);
    } catch (e) {
      (e as { extensions?: Record<string, unknown> }).extensions!.http = { status: 401 };
      throw e;
    }
    await rateLimits.request(caller);
    return caller;
  };
  const limits = queryLimits({
    maxDepth: config.GRAPHQL_MAX_DEPTH,
    maxAliases: config.GRAPHQL_MAX_ALIASES,
    maxDirectives: config.GRAPHQL_MAX_DIRECTIVES,
    maxTokens: config.GRAPHQL_MAX_TOKENS,
    maxCost: config.GRAPHQL_MAX_COST,
  });

  const gateway = new ApolloGateway({
    supergraphSdl: fs.readFileSync(config.SUPERGRAPH_PATH, 'utf8'),
    buildService: ({ name }) => {
      const s = SUBGRAPHS.find((x) => x.name === name);
      if (!s) throw new Error(`the supergraph names an unknown subgraph: ${name}`);
      return observability.subgraph(s.service, new SubgraphDataSource<GatewayContext>(config[s.env], s.service, signer, subgraphHttp, { dedupeInflight: config.SUBGRAPH_DEDUPE_INFLIGHT }));
    },
  });

  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => {
    apiSchema = schema;
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders(production));
  app.use(corsPolicy(config.CORS_ORIGINS, production));
  const httpServer = http.createServer(app);
  // Idle keep-alive connections outlive the clients' and load balancers' own idle timeouts, so
  // that a client never sends a request on a connection the server is closing at that moment.
  applyHttpServerTimeouts(httpServer, config);
  const shutdown = GracefulShutdown.fromConfig(config, { info: (m) => log.info(m), error: (m) => log.error(m) });
  shutdown.watch(httpServer);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // SIGTERM is GracefulShutdown's (main.ts): Apollo's own handler would stop at once, without
    // the drain, and kill the process before the feeds stop.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    formatError: createGatewayErrorFormatter((err, formatted) => log.error({ err, path: formatted.path }, formatted.message), { hideSuggestions: production }),
    plugins: [
      // No Apollo Sandbox (it loads from Apollo's CDN): browsers get the console's bundled GraphiQL.
      ApolloServerPluginLandingPageDisabled(),
      ...(limits.plugins as never[]),
      rateLimitPlugin<GatewayContext>(rateLimits),
      observability.plugin as never,
    ],
  });
  await server.start();

  // Subscriptions: graphql-ws on the same server and path, fed from Kafka and the chat stream.
  const hub = new Hub();
  let rateSync: RateLimitSync | undefined;
  const eventFeed = new EventFeed(hub, {
    brokers: config.KAFKA_BROKERS,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    log,
    metrics: observability.metrics,
    also: config.RATE_LIMIT_SYNC_MS > 0 ? { [TOPICS.rateUsage]: (value) => void rateSync?.receive(value) } : {},
  });
  if (config.RATE_LIMIT_SYNC_MS > 0) {
    rateSync = new RateLimitSync(rateLimits, {
      kafka: eventFeed.kafka,
      topic: topicName(config.KAFKA_TOPIC_PREFIX, TOPICS.rateUsage),
      gateway: `${os.hostname()}.${process.pid}.${randomUUID().slice(0, 8)}`,
      intervalMs: config.RATE_LIMIT_SYNC_MS,
      log,
      onPeerPoints: (n) => observability.ratePeerPoints.inc(n),
    });
    rateSync.start();
  }
  // Retries until it joins (readiness is false meanwhile); rejects only if stopped first.
  void eventFeed.start().catch((e) => log.info({ err: (e as Error).message }, 'event feed stopped before it started'));
  const chatFeed = new ChatFeed(hub, {
    url: new URL('/internal/chat-stream', subgraphUrl(config, 'session')).toString(),
    token: () => signer.sign({ kind: 'service', service: 'gateway' }, 'session-service'),
    log,
  });
  chatFeed.start();
  const runQuery = async (query: string, variables: Record<string, unknown>, caller: Caller): Promise<QueryResult> => {
    const res = await server.executeOperation({ query, variables }, { contextValue: { caller, requestId: randomUUID(), internal: true } });
    if (res.body.kind !== 'single') throw new Error('incremental delivery is not used here');
    return res.body.singleResult as QueryResult;
  };
  const subscriptions = startSubscriptionServer({
    httpServer,
    apiSchema: apiSchema!,
    hub,
    authenticate: (authorization) => admit(typeof authorization === 'string' ? authorization : undefined),
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    admitOperation: (caller) => rateLimits.request(caller),
    untilFeedPositioned: () => eventFeed.untilPositioned(),
    runQuery,
    adminPermissions: async (caller) => {
      if (caller.kind !== 'user') return [];
      const res = await subgraphClient.post<{ permissions: string[] }>(subgraphUrl(config, 'rbac'), 'rbac-service', '/internal/admin-permissions', { tenantId: caller.tenantId, userId: caller.userId });
      return res.permissions;
    },
    log,
    metrics: observability.metrics,
  });

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    if (shutdown.draining) return void res.status(503).json({ status: 'unavailable', shuttingDown: true });
    const checks = await Promise.all(
      SUBGRAPHS.map(async (s) => {
        const url = new URL('/health/live', config[s.env]).toString();
        const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
          (r) => r.ok,
          () => false,
        );
        return [s.service, ok] as const;
      }),
    );
    const ok = checks.every(([, up]) => up) && eventFeed.ready;
    const oidcIssuers = discovery.status().map((s) => ({ discoveryUrl: s.discoveryUrl, issuer: s.issuer, discovered: s.discovered }));
    const feed = eventFeed.status();
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'unavailable',
      subgraphs: Object.fromEntries(checks),
      eventFeed: feed.running,
      ...(feed.running ? {} : { eventFeedDownForMs: feed.downForMs }),
      chatStream: chatFeed.connected,
      oidcIssuers,
    });
  });

  const graphiql = config.CONSOLE_ENABLED && (config.GRAPHIQL_ENABLED ?? !production);
  if (graphiql) app.get('/graphql', explorerRedirect());
  app.use(
    '/graphql',
    (req, res, next) => {
      const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 128) || randomUUID();
      res.setHeader('x-request-id', id);
      (req as { requestId?: string }).requestId = id;
      next();
    },
    express.json({ limit: config.MAX_BODY_BYTES }),
    (req, _res, next) => {
      // A body that is not JSON (e.g. a form or text/plain: what a cross-site page can send
      // without a preflight) reaches Apollo's CSRF check, which refuses it with a clear error.
      req.body ??= {};
      next();
    },
    graphqlMiddleware(server, async (req) => ({ caller: await admit(req.headers.authorization), requestId: (req as { requestId?: string }).requestId ?? randomUUID() })),
  );

  app.use(
    exportRoutes({
      reportingUrl: subgraphUrl(config, 'reporting'),
      signer,
      admit,
      timeoutMs: config.EXPORT_TIMEOUT_MS,
      log,
    }),
  );
  if (config.CONSOLE_ENABLED) {
    app.use(
      consoleRoutes({
        dir: config.CONSOLE_DIR,
        config: { apiUrl: config.CONSOLE_API_URL, devIssuer, graphiql, oidcIssuers: consoleIssuers(config.OIDC_ISSUERS, config.CONSOLE_OIDC_CLIENTS) },
        log,
      }),
    );
  }

  app.use((_req, res) => {
    res.status(404).json({ errors: [{ message: 'not found', extensions: { code: 'NOT_FOUND' } }] });
  });
  // Malformed JSON, oversized bodies and the like: a GraphQL-shaped error, never a stack trace.
  app.use((err: { status?: number; type?: string; message?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err }, 'unhandled error');
    const message =
      status === 413
        ? `request body too large: the limit is ${config.MAX_BODY_BYTES} bytes`
        : status < 500
          ? `bad request: ${err.type === 'entity.parse.failed' ? 'the body is not valid JSON' : (err.message ?? 'invalid request')}`
          : 'Internal server error';
    res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }] });
  });

  return {
    app,
    httpServer,
    listen: async () => {
      const url = await new Promise<string>((resolve) =>
        httpServer.listen(config.PORT, config.HOST, () => {
          const url = `http://${config.HOST}:${config.PORT}/graphql`;
          log.info({ url, devIssuer }, `gateway listening on ${url}`);
          resolve(url);
        }),
      );
      const metricsUrl = await observability.listen();
      log.info({ metricsUrl }, `gateway metrics on ${metricsUrl}`);
      return url;
    },
    shutdown,
    stop: async () => {
      discovery.stop();
      // No new connection from here on (idle keep-alive ones close now, busy ones after their
      // answer, which GracefulShutdown sends with `Connection: close`).
      if (httpServer.listening) httpServer.close();
      await subscriptions.stop();
      // GracefulShutdown's drain (the one of every process): the HTTP requests in flight
      // (operations and exports) are answered; it exits when the grace period is over.
      await shutdown.requestsFinished();
      await server.stop();
      chatFeed.stop();
      await rateSync?.stop();
      await eventFeed.stop();
      await subgraphHttp.close();
      await observability.close();
      await stopTracing(); // the spans still buffered
    },
  };
}
