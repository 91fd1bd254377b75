import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ensureTopics, EventHandler, IdempotentConsumer, OutboxRelay } from '@remote-help/events';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { ServiceOptions } from './service-options';
import { KAFKA, SERVICE_OPTIONS } from './tokens';

export interface ConsumerSpec {
  /** Unique within the service, e.g. 'directory'; the group id is `<prefix><service>.<name>`. */
  name: string;
  topics: string[];
  handler: EventHandler;
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

  constructor(
    @Inject(SERVICE_OPTIONS) private readonly options: ServiceOptions,
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
  ) {}

  register(spec: ConsumerSpec) {
    this.specs.push(spec);
  }

  consumersReady(): boolean {
    return this.consumers.length === this.specs.length;
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
      const groupId = `${prefix}${this.options.name}.${spec.name}`;
      await this.retry(`start consumer ${groupId}`, async () => {
        if (this.stopped) return;
        const consumer = new IdempotentConsumer({
          kafka: this.kafka,
          dataSource: this.dataSource,
          groupId,
          consumerName: `${this.options.name}.${spec.name}`,
          topicPrefix: prefix,
          topics: spec.topics,
          handler: spec.handler,
          fromBeginning: true,
          logger: pinoLike(this.log),
          ...spec.fetch,
        });
        await consumer.start();
        this.consumers.push(consumer);
      });
    }
  }

  private async retry(what: string, fn: () => Promise<void>) {
    for (let attempt = 1, delay = 250; !this.stopped; attempt++, delay = Math.min(delay * 2, 5000)) {
      try {
        await fn();
        return;
      } catch (e) {
        this.log.warn(`${what} failed (attempt ${attempt}), retrying in ${delay} ms: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  async beforeApplicationShutdown() {
    this.stopped = true;
    await this.running?.catch(() => undefined);
    for (const c of this.consumers) await c.stop().catch(() => undefined);
    await this.relay?.stop().catch(() => undefined);
  }
}

function pinoLike(log: Logger) {
  const fmt = (o: unknown, msg?: string) => (msg ? `${msg} ${JSON.stringify(o)}` : JSON.stringify(o));
  return {
    info: (o: object, msg?: string) => log.log(fmt(o, msg)),
    warn: (o: object, msg?: string) => log.warn(fmt(o, msg)),
    error: (o: object, msg?: string) => log.error(fmt(o, msg)),
  };
}
