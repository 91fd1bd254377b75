import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { BoundedLabel, topWithOther } from './bounded-label';

/** Seconds: from 5 ms to 10 s (GraphQL operations, subgraph fetches, batches of events). */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** How long a collector that reads the database or Kafka at scrape time may take. */
const COLLECT_TIMEOUT_MS = 2_000;

/** Consumer lag by topic (base topic name), read when scraped. */
export type LagSource = () => Promise<Map<string, number>>;
/** The outbox's unsent rows and the age of the oldest, read when scraped. */
export type OutboxSource = () => Promise<{ events: number; oldestAgeSeconds: number }>;
/** Active sessions by tenant id, read when scraped. */
export type ActiveSessionsSource = () => Promise<{ tenantId: string; count: number }[]>;

export interface ProcessMetricsOptions {
  /** The process's name, the `service` label of every series (e.g. 'gateway', 'session-service'). */
  service: string;
  /** Distinct values of the `operation` label (GraphQL root fields) before they count as `other` (default 200). */
  maxOperations?: number;
  /** Where a collector's failure is reported (it is also counted). */
  onCollectError?: (collector: string, err: unknown) => void;
}

/**
 * Every metric the system's processes export, in one Prometheus registry per process (no global
 * state, so tests may create several). Names follow Prometheus conventions (`remote_help_` prefix,
 * units in the name, `_total` on counters); label values are bounded (GraphQL root fields of the
 * schema, error codes, topics, subgraph names; tenants only when asked, and capped). Recording is
 * synchronous and in memory; what needs a database or Kafka is read only when scraped.
 */
export class ProcessMetrics {
  readonly registry = new Registry();

  /** A GraphQL operation served: its root field, type and whether it answered with errors. */
  readonly graphqlRequestDuration: Histogram<'operation' | 'type' | 'outcome'>;
  /** GraphQL errors answered, by root field and `extensions.code`. */
  readonly graphqlErrors: Counter<'operation' | 'code'>;
  /** The gateway's fetches to the subgraphs (query plan fetches). */
  readonly subgraphFetchDuration: Histogram<'subgraph' | 'outcome'>;
  /** Time to apply one batch of events read from a topic (one partition's fetch). */
  readonly consumerProcessingDuration: Histogram<'consumer' | 'topic'>;
  /** Events read by a consumer (including skipped duplicates and dead letters). */
  readonly consumerMessages: Counter<'consumer' | 'topic'>;
  /** Open WebSocket connections (the gateway's subscriptions endpoint). */
  readonly websocketConnections: Gauge;
  /** Subscriptions running, by root field. */
  readonly subscriptions: Gauge<'subscription'>;
  private readonly collectFailures: Counter<'collector'>;

  private readonly operations: BoundedLabel;
  private readonly codes = new BoundedLabel(50, /^[A-Z][A-Z0-9_]{0,63}$/);
  private readonly lagSources = new Map<string, LagSource>();

  constructor(private readonly opts: ProcessMetricsOptions) {
    this.registry.setDefaultLabels({ service: opts.service });
    collectDefaultMetrics({ register: this.registry });
    // prom-client's sums of nodejs_active_{handles,requests,resources} (gauges by type, which stay)
    // are gauges named `_total`, which the Prometheus conventions (and promtool) reserve for counters.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) this.registry.removeSingleMetric(name);
    this.operations = new BoundedLabel(opts.maxOperations ?? 200);
    const registers = [this.registry];
    this.graphqlRequestDuration = new Histogram({
      name: 'remote_help_graphql_request_duration_seconds',
      help: 'GraphQL operations served, by root field, operation type and outcome (ok, or error when the answer carries errors)',
      labelNames: ['operation', 'type', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.graphqlErrors = new Counter({ name: 'remote_help_graphql_errors_total', help: 'GraphQL errors answered, by root field and extensions.code', labelNames: ['operation', 'code'], registers });
    this.subgraphFetchDuration = new Histogram({
      name: 'remote_help_subgraph_fetch_duration_seconds',
      help: "The gateway's fetches to a subgraph, by subgraph and outcome (ok, error: a failed call, a non-2xx answer or errors in the answer)",
      labelNames: ['subgraph', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.consumerProcessingDuration = new Histogram({
      name: 'remote_help_kafka_consumer_processing_seconds',
      help: 'Time to apply one fetched batch of events of a topic partition, by consumer and topic',
      labelNames: ['consumer', 'topic'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.consumerMessages = new Counter({ name: 'remote_help_kafka_consumer_messages_total', help: 'Kafka messages handled by a consumer, by consumer and topic', labelNames: ['consumer', 'topic'], registers });
    this.websocketConnections = new Gauge({ name: 'remote_help_websocket_connections', help: 'Open WebSocket connections (GraphQL subscriptions endpoint)', registers });
    this.subscriptions = new Gauge({ name: 'remote_help_graphql_subscriptions', help: 'GraphQL subscriptions running, by root field', labelNames: ['subscription'], registers });
    this.collectFailures = new Counter({
      name: 'remote_help_metrics_collect_failures_total',
      help: 'Scrapes in which a metric read from the database or Kafka could not be read (its series are left out)',
      labelNames: ['collector'],
      registers,
    });
    const lagGauge: Gauge<'consumer' | 'topic'> = new Gauge({
      name: 'remote_help_kafka_consumer_lag_messages',
      help: "Messages on a topic not yet committed by a consumer's group (sum over partitions), read from Kafka when scraped",
      labelNames: ['consumer', 'topic'],
      registers,
      collect: async () => {
        const read = await Promise.all([...this.lagSources].map(async ([consumer, source]) => [consumer, await this.read('kafka_consumer_lag', source)] as const));
        lagGauge.reset();
        for (const [consumer, lag] of read) for (const [topic, value] of lag ?? []) lagGauge.set({ consumer, topic }, value);
      },
    });
  }

  /** The `operation` label of a GraphQL root field (bounded). */
  operationLabel(rootField: string): string {
    return this.operations.of(rootField);
  }

  /** The `code` label of an error code (bounded). */
  codeLabel(code: string): string {
    return this.codes.of(code);
  }

  /** Records one batch of `messages` events of `topic` applied by `consumer` in `seconds`. */
  consumerBatch(consumer: string, topic: string, messages: number, seconds: number): void {
    this.consumerProcessingDuration.observe({ consumer, topic }, seconds);
    this.consumerMessages.inc({ consumer, topic }, messages);
  }

  /** Reports `consumer`'s lag (by topic) at every scrape. */
  trackConsumerLag(consumer: string, source: LagSource): void {
    this.lagSources.set(consumer, source);
  }

  /** Exports the outbox's backlog and the age of its oldest unsent event, read at every scrape. */
  trackOutbox(source: OutboxSource): void {
    const gauge = (name: string, help: string, value: (r: { events: number; oldestAgeSeconds: number }) => number) => {
      const g: Gauge = new Gauge({
        name,
        help,
        registers: [this.registry],
        collect: async () => {
          const r = await this.read('outbox', source);
          g.set(r ? value(r) : NaN);
        },
      });
    };
    gauge('remote_help_outbox_backlog_events', 'Events in the outbox not yet published to Kafka (NaN when it could not be read)', (r) => r.events);
    gauge('remote_help_outbox_oldest_event_age_seconds', 'Age of the oldest event in the outbox not yet published, 0 when it is empty (NaN when it could not be read)', (r) => r.oldestAgeSeconds);
  }

  /**
   * Exports the number of active sessions, read at every scrape: one series, or with
   * `tenantLabel` one per tenant for the `tenantLabel.max` tenants with the most (the others
   * summed as `tenant="other"`).
   */
  trackActiveSessions(source: ActiveSessionsSource, tenantLabel?: { max: number }): void {
    const active: Gauge<'tenant'> = new Gauge({
      name: 'remote_help_active_sessions',
      help: tenantLabel ? 'Active Remote Help sessions, by tenant (the largest tenants; the rest as tenant="other")' : 'Active Remote Help sessions',
      labelNames: tenantLabel ? ['tenant'] : [],
      registers: [this.registry],
      collect: async () => {
        const rows = await this.read('active_sessions', source);
        active.reset();
        if (!tenantLabel) {
          active.set(rows ? rows.reduce((s, r) => s + r.count, 0) : NaN);
          return;
        }
        if (!rows) return;
        for (const { key, value } of topWithOther(
          rows.map((r) => ({ key: r.tenantId, value: r.count })),
          tenantLabel.max,
        ))
          active.set({ tenant: key }, value);
      },
    });
  }

  /** The registry's text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** A collector's source, bounded in time; undefined (and counted) when it fails. */
  private async read<T>(collector: string, source: () => Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        source(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${COLLECT_TIMEOUT_MS} ms`)), COLLECT_TIMEOUT_MS);
        }),
      ]);
    } catch (err) {
      this.collectFailures.inc({ collector });
      this.opts.onCollectError?.(collector, err);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
