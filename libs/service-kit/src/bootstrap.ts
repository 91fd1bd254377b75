import type { INestApplication, DynamicModule } from '@nestjs/common';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger, PinoLogger } from 'nestjs-pino';
import * as fs from 'node:fs';
import { loadConfigOrExit } from './config';
import type { ServiceDataSourceOptions } from './database';
import { openServiceDataSource } from './database';
import type { SubgraphConfig, subgraphConfigSpec } from './service-config';
import { metricsListen } from './service-config';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { graphqlFront, InternalRoutes, SUBGRAPH_BODY_LIMIT_BYTES } from './graphql-front';
import { InternalAuthMiddleware } from './internal-auth.middleware';
import { MetricsEndpoint } from './metrics';
import { REQUEST_LOG_SERIALIZERS, writesRequestLines } from './service-kit.module';
import { subgraphGraphQLHandler } from './subgraph-graphql.module';
import { applyHttpServerTimeouts, type HttpServerConfig } from './http-server';
import { GracefulShutdown, shutdownCheck } from './shutdown';
import { SERVICE_OPTIONS } from './tokens';
import type { ServiceKeys, ServiceOptions } from './service-options';

/** The key material a service reads at start-up. */
export interface ServiceStartKeys {
  internalPublicKeyPem: string;
  serviceKeys: ServiceKeys;
}

/** Reads a key file named by a configuration variable, or stops with one clear line. */
export function readKeyFileOrExit(service: string, variable: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    process.stderr.write(`${service}: configuration error: ${variable}: cannot read "${file}" (\`npm start\` creates the keys; or point ${variable} at the key file)\n`);
    process.exit(1);
  }
}

/** Creates and starts a service's Nest application. */
export async function createServiceApp(appModule: DynamicModule): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(appModule, { bufferLogs: true });
  // The gateway accepts client bodies up to 1 MiB; what it forwards (queries, entity batches)
  // must fit here too.
  app.useBodyParser('json', { limit: SUBGRAPH_BODY_LIMIT_BYTES });
  // GraphQL answers POSTs, which no cache revalidates: an ETag (a hash of every body) is waste.
  app.set('etag', false);
  app.useLogger(app.get(Logger));
  return app;
}

export async function runService(name: string, appModule: DynamicModule, host: string, port: number, metricsAt: { host: string; port: number } | undefined, http: HttpServerConfig): Promise<INestApplication> {
  const app = await createServiceApp(appModule);
  // Outlive the gateway's idle keep-alive connections (its pool keeps them 30 s).
  const server = app.getHttpServer() as import('node:http').Server;
  applyHttpServerTimeouts(server, http);
  await app.init();
  // Not installed (no GraphQL handler recorded, or request lines wanted with no root logger):
  // every request goes through Express, correct but slower; said once, at start-up.
  if (!installGraphQLFront(app)) app.get(Logger).warn(`${name}: POST /graphql is served through Express's middleware (the GraphQL front is not installed)`);
  await app.listen(port, host);
  app.get(Logger).log(`${name} listening on http://${host}:${port}/graphql`);
  if (metricsAt) app.get(Logger).log(`${name} metrics on ${await app.get(MetricsEndpoint).listen(metricsAt)}`);
  const shutdown = app.get(GracefulShutdown);
  shutdown.watch(server);
  shutdown.onSignals(() => stopService(app, shutdown));
  return app;
}

/**
 * A service's orderly stop (after GracefulShutdown's drain): stop accepting connections (idle
 * keep-alive ones close now, the others after their answer), wait for the requests in flight,
 * then close the app: consumers commit and leave their groups, the outbox relay, timers and
 * event streams (the chat stream: the gateway reconnects to another replica) stop, the
 * database closes last.
 */
export async function stopService(app: INestApplication, shutdown: GracefulShutdown): Promise<void> {
  const server = app.getHttpServer() as Server;
  server.close();
  await shutdown.requestsFinished();
  await app.close();
}

/**
 * Puts `graphqlFront` (POST /graphql without Express and Nest's middleware chain) in front of
 * the initialised app's Express. At `info` and below it writes each request's line as pino-http
 * does on the other routes (`request completed`, or `request errored` at 500 and above, with the
 * request's id, method and URL, the status and the time taken). Returns whether it did.
 */
export function installGraphQLFront(app: INestApplication): boolean {
  const root = PinoLogger.root as import('pino').Logger | undefined;
  let requestLine: ReturnType<typeof requestLineWriter> | undefined;
  if (writesRequestLines(app.get<ServiceOptions>(SERVICE_OPTIONS))) {
    if (!root) return false; // request lines wanted, and nothing to write them with
    requestLine = requestLineWriter(root);
  }
  const expressApp = app.getHttpAdapter().getInstance() as (req: unknown, res: unknown) => void;
  const graphql = subgraphGraphQLHandler(expressApp);
  if (!graphql) return false;
  const server = app.getHttpServer() as Server;
  // Express is one of the server's request listeners (Nest's adapter adds one that counts each
  // socket's requests, for graceful shutdown); it is replaced in place, the others kept in order.
  const listeners = server.listeners('request') as ((req: unknown, res: unknown) => void)[];
  if (!listeners.includes(expressApp)) throw new Error('installGraphQLFront: Express is not a request listener of the HTTP server');
  const auth = app.get(InternalAuthMiddleware);
  const log = new NestLogger('GraphQL');
  const front = graphqlFront({
    graphql: graphql as Parameters<typeof graphqlFront>[0]['graphql'],
    internal: app.get(InternalRoutes),
    authenticate: (authorization, internalRoute) => auth.authenticate(authorization, internalRoute),
    fallback: expressApp,
    onError: (err) => log.error(`request failed outside GraphQL: ${(err as Error)?.stack ?? String(err)}`),
    requestLine,
  });
  server.removeAllListeners('request');
  for (const l of listeners) server.on('request', l === expressApp ? front : l);
  return true;
}

/** The request line pino-http would write for a request (with ServiceKitModule's serializers). */
function requestLineWriter(root: import('pino').Logger) {
  return (req: IncomingMessage & { id?: unknown }, res: ServerResponse, ms: number) => {
    const fields = { req: REQUEST_LOG_SERIALIZERS.req(req), res: REQUEST_LOG_SERIALIZERS.res(res), responseTime: ms };
    if (res.statusCode >= 500) root.error(fields, 'request errored');
    else root.info(fields, res.writableFinished ? 'request completed' : 'request aborted');
  };
}

/** The `main.ts` of every subgraph service: validate the configuration, read the key, start. */
export function serviceMain(o: { name: string; configSpec: ReturnType<typeof subgraphConfigSpec>; appModule: (config: SubgraphConfig, keys: ServiceStartKeys) => DynamicModule }): void {
  const config = loadConfigOrExit(o.name, o.configSpec);
  const metricsAt = metricsListen(config);
  const problem = typeof metricsAt === 'string' ? metricsAt : shutdownCheck(config);
  if (problem || typeof metricsAt === 'string') {
    process.stderr.write(`${o.name}: configuration error: ${problem}\n`);
    process.exit(1);
  }
  const keys: ServiceStartKeys = {
    internalPublicKeyPem: readKeyFileOrExit(o.name, 'INTERNAL_JWT_PUBLIC_KEY_FILE', config.INTERNAL_JWT_PUBLIC_KEY_FILE),
    serviceKeys: {
      privateKeyPem: readKeyFileOrExit(o.name, 'SERVICE_JWT_PRIVATE_KEY_FILE', config.SERVICE_JWT_PRIVATE_KEY_FILE),
      publicKeyPem: readKeyFileOrExit(o.name, 'SERVICE_JWT_PUBLIC_KEY_FILE', config.SERVICE_JWT_PUBLIC_KEY_FILE),
    },
  };
  runService(o.name, o.appModule(config, keys), config.HOST, config.PORT, metricsAt, config).catch((e) => {
    process.stderr.write(`${o.name}: failed to start: ${(e as Error).message}\n`);
    process.exit(1);
  });
}

/** The `migrate.ts` of every service (`nx run <service>:migrate`): create the database if missing, apply pending migrations. */
export function migrateMain(o: { name: string; configSpec: ReturnType<typeof subgraphConfigSpec> } & Omit<ServiceDataSourceOptions, 'url'>): void {
  const { DATABASE_URL } = loadConfigOrExit(o.name, { DATABASE_URL: o.configSpec.DATABASE_URL });
  openServiceDataSource({ url: DATABASE_URL, entities: o.entities, migrations: o.migrations, poolSize: 2 })
    .then(async (ds) => {
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM migrations`);
      await ds.destroy();
      process.stderr.write(`${o.name}: database migrated (${n} migrations applied in all)\n`);
    })
    .catch((e) => {
      process.stderr.write(`${o.name}: migration failed: ${(e as Error).message}\n`);
      process.exit(1);
    });
}
