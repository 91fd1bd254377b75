import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { type CatalogueEvent, consumerGroupLag, ensureTopics, type EventHandler, IdempotentConsumer, OutboxRelay, retryForever, topicName, type ConsumerStatus } from '@remote-help/events';
import type { ProcessMetrics } from '@remote-help/metrics';
import type { Admin, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { ServiceOptions } from './service-options';
import { KAFKA, PROCESS_METRICS, SERVICE_OPTIONS } from './tokens';

export interface ConsumerSpec {
  /** Unique within the service, e.g. 'directory'; the group id is `<prefix><service>.<name>`. */
  name: string;
  topics: string[];
  /**
   * Gets each event parsed against its contract (the event catalogue's `parseEvent`); one that
   * does not parse goes to the dead-letter topic with the reason, and the consumer goes on.
   */
  handler: EventHandler<CatalogueEvent>;
  /** How the consumer fetches (IdempotentConsumer's `minBytes` and `maxWaitTimeInMs`; default: at once, 500 ms when idle). */
  fetch?: { minBytes?: number; maxWaitTimeInMs?: number };
}

/**
 * The service's side of Kafka: creates the topics, runs the outbox relay and the idempotent
 * consumers that feature modules register in `onModuleInit`. Kafka being down at start-up does
 * not stop the service: it keeps retrying, and /health/ready says not ready meanwhile.
 */
@Injectable()
export class EventPipeline implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('EventPipeline');
  private readonly specs: ConsumerSpec[] = [];
  private readonly consumers: IdempotentConsumer[] = [];
  private relay?: OutboxRelay;
  private stopped = false;
  private running?: Promise<void>;
  /** Reads the consumers' lag for the metrics (connected at the first scrape). */
  private lagAdmin?: Promise<Admin>;

  constructor(
    @Inject(SERVICE_OPTIONS) private readonly options: ServiceOptions,
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    @Inject(PROCESS_METRICS) private readonly metrics: ProcessMetrics,
  ) {}

  register(spec: ConsumerSpec) {
    this.specs.push(spec);
  }

  /** Every registered consumer has started and runs now (none crashed, being rebuilt or not yet joined). */
  consumersReady(): boolean {
    return this.consumers.length === this.specs.length && this.consumers.every((c) => c.status().running);
  }

  /** The consumers that do not run now, with how long they have not (for readiness and operators). */
  consumersDown(): ConsumerStatus[] {
    // run() creates the consumers in the order of the specs: the ones after the last created have not started.
    const notStarted = this.specs.slice(this.consumers.length).map((spec) => ({ ...this.namesOf(spec), running: false, rebuilds: 0 }));
    return [...this.consumers.map((c) => c.status()).filter((s) => !s.running), ...notStarted];
  }

  /** A consumer's name (key in processed_events) and its group id: `<service>.<spec>`, after the topic prefix. */
  private namesOf(spec: ConsumerSpec): { consumer: string; groupId: string } {
    const consumer = `${this.options.name}.${spec.name}`;
    return { consumer, groupId: `${this.options.config.KAFKA_TOPIC_PREFIX}${consumer}` };
  }

  onApplicationBootstrap() {
    this.running = this.run();
  }

  private async run() {
    const prefix = this.options.config.KAFKA_TOPIC_PREFIX;
    await this.retry('create topics', () => ensureTopics(this.kafka, prefix));
    if (this.stopped) return;
    this.relay = new OutboxRelay({
      dataSource: this.dataSource,
      kafka: this.kafka,
      topicPrefix: prefix,
      pollIntervalMs: this.options.config.OUTBOX_POLL_INTERVAL_MS,
      logger: pinoLike(this.log),
    });
    await this.relay.start();
    for (const spec of this.specs) {
      if (this.stopped) return;
      const { consumer: consumerName, groupId } = this.namesOf(spec);
      this.metrics.trackConsumerLag(consumerName, () => this.lagOf(groupId, spec.topics));
      const consumer = new IdempotentConsumer({
        kafka: this.kafka,
        dataSource: this.dataSource,
        groupId,
        consumerName,
        // Recorded in memory, never awaited: metrics cost a consumer nothing it would wait for.
        onBatchDone: (topic, messages, seconds) => this.metrics.consumerBatch(consumerName, topic, messages, seconds),
        topicPrefix: prefix,
        topics: spec.topics,
        // Each event is parsed by IdempotentConsumer's default parse, the catalogue's parseEvent.
        handler: spec.handler,
        fromBeginning: true,
        logger: pinoLike(this.log),
        ...spec.fetch,
      });
      // start() retries until the group is joined, and the consumer comes back from every crash
      // by itself afterwards; stop() below ends both.
      this.consumers.push(consumer);
      await consumer.start();
    }
  }

  /** A consumer group's lag by base topic name (for the metrics, at scrape time). */
  private async lagOf(groupId: string, topics: string[]): Promise<Map<string, number>> {
    const prefix = this.options.config.KAFKA_TOPIC_PREFIX;
    this.lagAdmin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })();
    try {
      const lag = await consumerGroupLag(
        await this.lagAdmin,
        groupId,
        topics.map((t) => topicName(prefix, t)),
        'all',
      );
      return new Map([...lag].map(([topic, n]) => [topic.slice(prefix.length), n]));
    } catch (err) {
      const admin = this.lagAdmin;
      this.lagAdmin = undefined;
      void admin.then((a) => a.disconnect()).catch(() => undefined);
      throw err;
    }
  }

  private retry(what: string, fn: () => Promise<void>) {
    return retryForever(fn, { what, stopped: () => this.stopped, log: pinoLike(this.log) });
  }

  async beforeApplicationShutdown() {
    this.stopped = true;
    // Stopping a consumer also ends its start() if it is still retrying, so run() can finish.
    await Promise.all(this.consumers.map((c) => c.stop().catch(() => undefined)));
    await this.running?.catch(() => undefined);
    await this.relay?.stop().catch(() => undefined);
    await this.lagAdmin?.then((a) => a.disconnect()).catch(() => undefined);
  }
}

/** A Nest logger in the shape @remote-help/events takes (pino-like: fields first, then the message). */
export function pinoLike(log: Logger) {
  const fmt = (o: unknown, msg?: string) => (msg ? `${msg} ${JSON.stringify(o)}` : JSON.stringify(o));
  return {
    info: (o: object, msg?: string) => log.log(fmt(o, msg)),
    warn: (o: object, msg?: string) => log.warn(fmt(o, msg)),
    error: (o: object, msg?: string) => log.error(fmt(o, msg)),
  };
}
