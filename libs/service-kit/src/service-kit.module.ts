import { DynamicModule, Global, Inject, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLErrorPassThrough } from './graphql-error.filter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createInternalTokenVerifier, SERVICE_ISSUER } from '@remote-help/auth';
import { createKafka } from '@remote-help/events';
import { LoggerModule } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import { DataSource } from 'typeorm';
import { ensureDatabase, serviceDataSourceOptions } from './database';
import { EventPipeline } from './event-pipeline';
import { HealthController } from './health.controller';
import { InternalAuthMiddleware } from './internal-auth.middleware';
import { InternalRoutes } from './graphql-front';
import { assignRequestId, RequestContextMiddleware, requestLogMixin } from './request-context';
import { KafkaHealth } from './kafka-health';
import type { ServiceOptions } from './service-options';
import { AdminAuthorizer, RemoteAdminPermissionSource } from './admin-permissions';
import { AuditTrail } from './audit-trail';
import { ServiceClient } from './service-client';
import { GraphQLMetricsPlugin, MetricsEndpoint, processMetricsProvider } from './metrics';
import { gracefulShutdownProvider } from './shutdown.provider';
import { TracingShutdown } from './tracing-shutdown';
import { ADMIN_PERMISSION_SOURCE, INTERNAL_TOKEN_VERIFIER, KAFKA, PROCESS_METRICS, SERVICE_OPTIONS, SERVICE_TOKEN_VERIFIER } from './tokens';

/**
 * What every subgraph service shares: JSON logs with the gateway's request id, its own
 * database (created if missing, migrated at start), Kafka (outbox relay and consumers),
 * health endpoints, metrics (PROCESS_METRICS) and the internal-token check in front of /graphql
 * and /internal.
 */
@Global()
@Module({})
export class ServiceKitModule implements NestModule {
  static forRoot(options: ServiceOptions): DynamicModule {
    const { config } = options;
    const requestLines = writesRequestLines(options);
    return {
      module: ServiceKitModule,
      imports: [
        LoggerModule.forRoot({
          // Above info, /graphql and /internal go without pino-http (RequestContextMiddleware
          // instead): no child loggers per request; lines still carry the request id (mixin).
          ...(requestLines ? {} : { exclude: SERVED_ROUTES }),
          pinoHttp: {
            name: options.name,
            level: config.LOG_LEVEL,
            mixin: requestLogMixin,
            genReqId: (req, res) => assignRequestId(req, res),
            // One line per request at info and below; above (warn, error, ...) those lines would be
            // dropped anyway, so the per-request child logger (left on /health only) binds only
            // the request id (no serialising and redacting of every request for nothing).
            autoLogging: requestLines ? { ignore: (req) => (req.url ?? '').startsWith('/health') } : false,
            quietReqLogger: !requestLines,
            // A request is logged as its id, method and URL: no headers (so no bearer token to
            // redact), and no full serialisation of every request (pino binds it to the
            // request's child logger whether or not a line is written).
            wrapSerializers: false,
            serializers: { ...REQUEST_LOG_SERIALIZERS, err: stdSerializers.err },
          },
        }),
        TypeOrmModule.forRootAsync({
          useFactory: () => serviceDataSourceOptions({ url: config.DATABASE_URL, entities: options.entities, migrations: options.migrations }),
          dataSourceFactory: async (dsOptions) => {
            await ensureDatabase(config.DATABASE_URL);
            const ds = await new DataSource(dsOptions!).initialize();
            await ds.runMigrations({ transaction: 'each' });
            return ds;
          },
        }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_OPTIONS, useValue: options },
        { provide: KAFKA, useFactory: () => createKafka({ brokers: config.KAFKA_BROKERS, clientId: options.name }) },
        { provide: INTERNAL_TOKEN_VERIFIER, useFactory: () => createInternalTokenVerifier(options.internalPublicKeyPem, options.name) },
        { provide: SERVICE_TOKEN_VERIFIER, useFactory: () => createInternalTokenVerifier(options.serviceKeys.publicKeyPem, options.name, { issuer: SERVICE_ISSUER }) },
        { provide: ADMIN_PERMISSION_SOURCE, useClass: options.adminPermissionSource ?? RemoteAdminPermissionSource },
        ServiceClient,
        AdminAuthorizer,
        AuditTrail,
        { provide: APP_FILTER, useClass: GraphQLErrorPassThrough },
        KafkaHealth,
        EventPipeline,
        InternalAuthMiddleware,
        InternalRoutes,
        processMetricsProvider,
        GraphQLMetricsPlugin,
        MetricsEndpoint,
        gracefulShutdownProvider,
        TracingShutdown,
      ],
      exports: [InternalRoutes, PROCESS_METRICS, SERVICE_OPTIONS, KAFKA, INTERNAL_TOKEN_VERIFIER, EventPipeline, ServiceClient, AdminAuthorizer, AuditTrail, ADMIN_PERMISSION_SOURCE],
    };
  }

  constructor(@Inject(SERVICE_OPTIONS) private readonly options: ServiceOptions) {}

  configure(consumer: MiddlewareConsumer) {
    if (!writesRequestLines(this.options)) consumer.apply(RequestContextMiddleware).forRoutes(...SERVED_ROUTES);
    consumer.apply(InternalAuthMiddleware).forRoutes(...SERVED_ROUTES);
  }
}

/** What a service serves its callers on (the gateway and the other services): GraphQL and its internal API. */
const SERVED_ROUTES = [
  { path: 'graphql', method: RequestMethod.ALL },
  { path: 'internal/*path', method: RequestMethod.ALL },
];

/** How a request and its response appear in a request line: id, method and URL; the status. */
export const REQUEST_LOG_SERIALIZERS = {
  req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: req.url }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
};

/** A line per request is written at info and below. */
export function writesRequestLines(options: ServiceOptions): boolean {
  return ['trace', 'debug', 'info'].includes(options.config.LOG_LEVEL);
}
