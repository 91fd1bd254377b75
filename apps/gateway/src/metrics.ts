import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import { graphqlMetricsPlugin, ProcessMetrics, startMetricsServer, type MetricsServer } from '@remote-help/metrics';
import { metricsListen } from '@remote-help/service-kit';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { GatewayConfig } from './config';
import { SERVICE_NAME } from './config';

export interface GatewayMetrics {
  metrics: ProcessMetrics;
  /** Rate-limit points the other gateway replicas admitted, added to this gateway's counts. */
  ratePeerPoints: Counter;
  /** Apollo plugin: latency and errors per GraphQL operation (by root field). */
  plugin: ApolloServerPlugin;
  /** The data source of `subgraph`, its fetches timed (`remote_help_subgraph_fetch_duration_seconds`). */
  subgraph<T extends GraphQLDataSource<never>>(subgraph: string, source: T): T;
  /** Opens `GET /metrics` on METRICS_HOST:METRICS_PORT; resolves with its URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** The gateway's metrics (the services' come from ServiceKitModule): one registry, its own port. */
export function gatewayMetrics(config: GatewayConfig, log: Logger): GatewayMetrics {
  const at = metricsListen(config);
  if (typeof at === 'string') throw new Error(at); // crossCheck refuses it at start-up
  const metrics = new ProcessMetrics({ service: SERVICE_NAME, onCollectError: (collector, err) => log.warn({ collector, err: (err as Error)?.message }, 'a metric could not be read') });
  let server: MetricsServer | undefined;
  return {
    metrics,
    ratePeerPoints: new Counter({ name: 'remote_help_rate_limit_peer_points_total', help: "Rate-limit points admitted by the other gateway replicas and added to this gateway's counts", registers: [metrics.registry] }),
    plugin: graphqlMetricsPlugin(metrics),
    subgraph(subgraph, source) {
      const process = source.process.bind(source);
      source.process = async (options: GraphQLDataSourceProcessOptions<never>) => {
        const started = performance.now();
        let outcome = 'error';
        try {
          const res = await process(options);
          if (!res.errors?.length) outcome = 'ok';
          return res;
        } finally {
          metrics.subgraphFetchDuration.observe({ subgraph, outcome }, (performance.now() - started) / 1000);
        }
      };
      return source;
    },
    async listen() {
      server = await startMetricsServer(metrics, { ...at, onError: (err) => log.error({ err }, 'metrics could not be collected') });
      return server.url;
    },
    async close() {
      await server?.close();
    },
  };
}
