import {
  KafkaJSError,
  Partitioners,
  type Consumer,
  type EachMessagePayload,
  type Kafka,
  type KafkaMessage,
  type Producer,
} from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { EnvelopeError, parseEnvelope, type EventEnvelope } from './event-envelope';
import { defaultEventsLogger, serializeError, type EventsLogger } from './logger';
import { TOPICS, topicName } from './topics';

/**
 * Applies one event. Runs inside the transaction that records the event as processed: write
 * through `manager` only, and throw to roll back (the message is then retried).
 * `meta.topic` is the base topic name (as passed in `topics`).
 */
export type EventHandler = (
  event: EventEnvelope,
  manager: EntityManager,
  meta: { topic: string; partition: number; offset: string },
) => Promise<void>;

export interface IdempotentConsumerOptions {
  kafka: Kafka;
  dataSource: DataSource;
  groupId: string;
  /** Key in processed_events (default: groupId). Keep it stable across deployments. */
  consumerName?: string;
  topicPrefix: string;
  /** Base topic names (from TOPICS). */
  topics: string[];
  handler: EventHandler;
  fromBeginning?: boolean;
  /** Publish malformed messages to the dead-letter topic (default true); otherwise log and skip them. */
  deadLetter?: boolean;
  logger?: EventsLogger;
  /** kafkajs fetch wait (default 100 ms). */
  maxWaitTimeInMs?: number;
  /** How long start() waits for the group join (default 30 s). */
  joinTimeoutMs?: number;
}

/**
 * What eachMessage throws when the handler (or its transaction) fails. A retriable KafkaJSError
 * with no `cause`, so that kafkajs retries the same offset with backoff, and, once its retries
 * are spent, restarts the consumer instead of stopping for good (a TypeError thrown by a handler
 * would otherwise count as unrecoverable). The original error is in `handlerError`.
 */
export class EventHandlerError extends KafkaJSError {
  override readonly name = 'EventHandlerError';

  constructor(
    readonly handlerError: unknown,
    readonly eventId: string,
  ) {
    super(`handler failed for event ${eventId}: ${handlerError instanceof Error ? handlerError.message : String(handlerError)}`, {
      retriable: true,
    });
  }
}

const noop = () => undefined;

/**
 * A Kafka consumer that applies each event exactly once per `consumerName`: the event id goes
 * into processed_events in the same transaction as the handler's writes, and offsets are
 * committed only after that transaction commits. Malformed messages go to the dead-letter topic
 * and never block the partition; failing handlers are retried on the same message.
 */
export class IdempotentConsumer {
  private readonly kafka: Kafka;
  private readonly dataSource: DataSource;
  private readonly groupId: string;
  private readonly consumerName: string;
  private readonly topicPrefix: string;
  private readonly topics: string[];
  private readonly handler: EventHandler;
  private readonly fromBeginning: boolean;
  private readonly deadLetter: boolean;
  private readonly log: EventsLogger;
  private readonly maxWaitTimeInMs: number;
  private readonly joinTimeoutMs: number;

  private consumer?: Consumer;
  private producer?: Producer;

  constructor(opts: IdempotentConsumerOptions) {
    if (!opts.topics?.length) throw new TypeError('IdempotentConsumer: topics must not be empty');
    if (!opts.groupId) throw new TypeError('IdempotentConsumer: groupId is required');
    this.kafka = opts.kafka;
    this.dataSource = opts.dataSource;
    this.groupId = opts.groupId;
    this.consumerName = opts.consumerName ?? opts.groupId;
    this.topicPrefix = opts.topicPrefix;
    this.topics = [...opts.topics];
    this.handler = opts.handler;
    this.fromBeginning = opts.fromBeginning ?? false;
    this.deadLetter = opts.deadLetter ?? true;
    this.log = opts.logger ?? defaultEventsLogger;
    this.maxWaitTimeInMs = opts.maxWaitTimeInMs ?? 100;
    this.joinTimeoutMs = opts.joinTimeoutMs ?? 30000;
    for (const t of this.topics) topicName(this.topicPrefix, t); // validate early
  }

  /** Connects, subscribes and runs; resolves once the consumer has joined its group. */
  async start(): Promise<void> {
    if (this.consumer) throw new Error('IdempotentConsumer already started');
    // A member that dies without leaving (a crash) holds its partitions until its session times
    // out: 10 s (Kafka's default is 30 s) keeps that pause short; heartbeats every 1 s keep a
    // live member well inside it.
    const consumer = this.kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: this.maxWaitTimeInMs, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    this.consumer = consumer;
    let timer: NodeJS.Timeout | undefined;
    const removers: (() => void)[] = [];
    const joined = new Promise<void>((resolve, reject) => {
      removers.push(consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      removers.push(
        consumer.on(consumer.events.CRASH, (e) => {
          if (!e.payload.restart) reject(e.payload.error);
        }),
      );
      timer = setTimeout(
        () => reject(new Error(`IdempotentConsumer ${this.groupId}: no group join within ${this.joinTimeoutMs} ms`)),
        this.joinTimeoutMs,
      );
    });
    joined.catch(noop);
    try {
      if (this.deadLetter) {
        const producer = this.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
        this.producer = producer;
        await producer.connect();
      }
      await consumer.connect();
      await consumer.subscribe({ topics: this.topics.map((t) => topicName(this.topicPrefix, t)), fromBeginning: this.fromBeginning });
      await consumer.run({ eachMessage: (payload) => this.onMessage(payload) });
      await joined;
    } catch (err) {
      await this.disconnect();
      throw err;
    } finally {
      if (timer) clearTimeout(timer);
      for (const remove of removers) remove();
    }
  }

  /** Stops consuming (offsets of applied messages are committed) and disconnects. */
  async stop(): Promise<void> {
    await this.disconnect();
  }

  private async disconnect(): Promise<void> {
    const { consumer, producer } = this;
    this.consumer = undefined;
    this.producer = undefined;
    if (consumer) await consumer.disconnect().catch(noop);
    if (producer) await producer.disconnect().catch(noop);
  }

  private baseTopic(topic: string): string {
    return topic.startsWith(this.topicPrefix) ? topic.slice(this.topicPrefix.length) : topic;
  }

  private async onMessage({ topic, partition, message }: EachMessagePayload): Promise<void> {
    let event: EventEnvelope;
    try {
      event = parseEnvelope(message.value);
    } catch (err) {
      if (!(err instanceof EnvelopeError)) throw err;
      await this.rejectMessage(topic, partition, message, err.reason);
      return;
    }

    const meta = { topic: this.baseTopic(topic), partition, offset: message.offset };
    let applied = false;
    try {
      await this.dataSource.transaction(async (manager) => {
        const inserted: unknown[] = await manager.query(
          'INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id',
          [this.consumerName, event.id],
        );
        if (inserted.length === 0) return; // already applied: a redelivery or a duplicate publish
        await this.handler(event, manager, meta);
        applied = true;
      });
    } catch (err) {
      this.log.warn(
        { err: serializeError(err), consumer: this.consumerName, eventId: event.id, eventType: event.type, topic, partition, offset: message.offset },
        'event handler failed; the transaction was rolled back and the message will be retried',
      );
      throw new EventHandlerError(err, event.id);
    }
    if (!applied) {
      this.log.info({ consumer: this.consumerName, eventId: event.id, topic, partition, offset: message.offset }, 'duplicate event skipped');
    }
  }

  private async rejectMessage(topic: string, partition: number, message: KafkaMessage, reason: string): Promise<void> {
    const where = { consumer: this.consumerName, topic, partition, offset: message.offset, reason };
    if (!this.producer) {
      this.log.warn(where, 'malformed message skipped (dead letter disabled)');
      return;
    }
    // If this send fails, the error propagates and kafkajs retries the message: it is never dropped.
    await this.producer.send({
      topic: topicName(this.topicPrefix, TOPICS.deadLetter),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            reason,
            'source-topic': topic,
            partition: String(partition),
            offset: message.offset,
            'consumer-group': this.groupId,
          },
        },
      ],
    });
    this.log.warn(where, 'malformed message sent to the dead-letter topic');
  }
}
