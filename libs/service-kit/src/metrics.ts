import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import { Inject, Injectable, Logger, OnApplicationShutdown, type Provider } from '@nestjs/common';
import { readOutboxBacklog } from '@remote-help/events';
import { graphqlMetricsPlugin, ProcessMetrics, startMetricsServer, type MetricsServer } from '@remote-help/metrics';
import { DataSource } from 'typeorm';
import type { ServiceOptions } from './service-options';
import { PROCESS_METRICS, SERVICE_OPTIONS } from './tokens';

/**
 * The Nest side of the metrics (the framework-free part is @remote-help/metrics, which the
 * gateway uses directly): the service's ProcessMetrics (`PROCESS_METRICS`, with its outbox
 * backlog read at every scrape), the GraphQL plugin, and the `GET /metrics` endpoint that
 * `runService` opens on METRICS_PORT (tests that build the module open nothing).
 */
export const processMetricsProvider: Provider = {
  provide: PROCESS_METRICS,
  inject: [SERVICE_OPTIONS, DataSource],
  useFactory: (options: ServiceOptions, dataSource: DataSource) => {
    const log = new Logger('Metrics');
    const metrics = new ProcessMetrics({ service: options.name, onCollectError: (collector, err) => log.warn(`${collector} could not be read for the metrics: ${(err as Error)?.message ?? String(err)}`) });
    metrics.trackOutbox(() => readOutboxBacklog(dataSource));
    return metrics;
  },
};

/** graphqlMetricsPlugin as a Nest-discovered Apollo plugin of the subgraph. */
@Plugin()
export class GraphQLMetricsPlugin implements ApolloServerPlugin<BaseContext> {
  private readonly inner: ApolloServerPlugin<BaseContext>;

  constructor(@Inject(PROCESS_METRICS) metrics: ProcessMetrics) {
    this.inner = graphqlMetricsPlugin(metrics);
  }

  requestDidStart(ctx: GraphQLRequestContext<BaseContext>): Promise<GraphQLRequestListener<BaseContext> | void> {
    return this.inner.requestDidStart!(ctx);
  }
}

/** The metrics endpoint of a running service (opened by `runService`, closed with the app). */
@Injectable()
export class MetricsEndpoint implements OnApplicationShutdown {
  private server?: MetricsServer;

  constructor(@Inject(PROCESS_METRICS) private readonly metrics: ProcessMetrics) {}

  async listen(at: { host: string; port: number }): Promise<string> {
    const log = new Logger('Metrics');
    this.server = await startMetricsServer(this.metrics, { ...at, onError: (err) => log.error(`metrics could not be collected: ${(err as Error)?.stack ?? String(err)}`) });
    return this.server.url;
  }

  async onApplicationShutdown() {
    await this.server?.close();
  }
}
