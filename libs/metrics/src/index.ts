export * from './bounded-label';
export * from './graphql-metrics.plugin';
export * from './metrics-server';
export * from './process-metrics';
