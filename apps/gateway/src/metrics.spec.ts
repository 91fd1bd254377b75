import type { GraphQLDataSource } from '@apollo/gateway';
import { loadConfig } from '@remote-help/service-kit';
import pino from 'pino';
import { configSpec, crossCheck } from './config';
import { gatewayMetrics } from './metrics';

const load = (env: Record<string, string>) => loadConfig(configSpec, env);

describe('gateway metrics', () => {
  it('times each subgraph fetch by subgraph and outcome: error when it throws or answers errors', async () => {
    const m = gatewayMetrics({ ...load({}), METRICS_PORT: 0 }, pino({ level: 'silent' }));
    const answers: (() => Promise<{ data?: Record<string, unknown>; errors?: { message: string }[] }>)[] = [
      async () => ({ data: { ok: true } }),
      async () => ({ errors: [{ message: 'FORBIDDEN' }] }),
      async () => {
        throw new Error('connection refused');
      },
    ];
    const source = m.subgraph('session-service', { process: () => answers.shift()!() } as GraphQLDataSource<never>);
    await source.process({} as never);
    await source.process({} as never);
    await expect(source.process({} as never)).rejects.toThrow('connection refused');
    const json = await m.metrics.registry.getSingleMetric('remote_help_subgraph_fetch_duration_seconds')!.get();
    const count = (outcome: string) =>
      json.values.find(
        (v: { metricName?: string; labels: Record<string, unknown> }) => v.metricName === 'remote_help_subgraph_fetch_duration_seconds_count' && v.labels.outcome === outcome && v.labels.subgraph === 'session-service',
      )?.value;
    expect([count('ok'), count('error')]).toEqual([1, 2]);
  });

  it('serves the metrics on METRICS_PORT (default 9400), refused on the public port', async () => {
    expect(load({}).METRICS_PORT).toBe(9400);
    expect(crossCheck(load({ PORT: '9400' }))).toBe('METRICS_PORT: must differ from PORT (9400): metrics are never served on the public port');
    const m = gatewayMetrics({ ...load({}), METRICS_PORT: 0 }, pino({ level: 'silent' }));
    const url = await m.listen();
    try {
      expect(await (await fetch(url)).text()).toContain('remote_help_graphql_request_duration_seconds');
    } finally {
      await m.close();
    }
  });
});
