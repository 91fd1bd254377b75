import { KafkaJSError, Partitioners, type EachBatchPayload, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { type CatalogueEvent, EventContractError, parseEvent } from './contracts/event-catalogue';
import { EnvelopeError, parseEnvelope, type EventEnvelope } from './event-envelope';
import { defaultEventsLogger, serializeError, type EventsLogger } from './logger';
import { retryForever } from './retry';
import { SupervisedConsumer, type ConsumerStatus } from './supervised-consumer';
import { TOPICS, topicName } from './topics';
import { inProcessSpans } from './trace-context';

/** Where an event was read: `topic` is the base topic name (as passed in `topics`). */
export interface EventMeta {
  topic: string;
  partition: number;
  offset: string;
}

/** One new (never applied) event of a batch, in partition order. */
export interface BatchItem<E extends EventEnvelope = EventEnvelope> {
  event: E;
  meta: EventMeta;
}

/**
 * Applies several new events at once, inside the one transaction that records them all as
 * processed: write through `manager` only. They may come from several partitions (a fetch's
 * batches are applied together); the events of each partition are in their order, and events
 * of one key are always in one partition. Throwing rolls
 * the whole batch back; the consumer then applies those events one at a time with the
 * per-event handler, so a batch handler may throw whenever it meets a case it does not handle.
 */
export type BatchEventHandler<E extends EventEnvelope = EventEnvelope> = (items: BatchItem<E>[], manager: EntityManager) => Promise<void>;

/**
 * Applies one event. Runs inside the transaction that records the event as processed: write
 * through `manager` only, and throw to roll back (the message is then retried). Several events
 * of a partition may share one transaction (see {@link IdempotentConsumer}); a throw rolls back
 * only what this consumer applied since the batch began, and those events are applied again.
 * `meta.topic` is the base topic name (as passed in `topics`). Optionally carries a set-based
 * form of itself, `batch` (see {@link withBatchHandler}).
 */
export type EventHandler<E extends EventEnvelope = EventEnvelope> = ((event: E, manager: EntityManager, meta: EventMeta) => Promise<void>) & {
  batch?: BatchEventHandler<E>;
};

/**
 * A handler with a set-based form for batches: `batch` must have exactly the effect of
 * `handler` applied to each item in order. The consumer uses `batch` for runs of two or more
 * new events and `handler` for single events and after a failed batch.
 */
export function withBatchHandler<E extends EventEnvelope>(handler: (event: E, manager: EntityManager, meta: EventMeta) => Promise<void>, batch: BatchEventHandler<E>): EventHandler<E> {
  const h: EventHandler<E> = (event, manager, meta) => handler(event, manager, meta);
  h.batch = batch;
  return h;
}

/** `E`: the events the handler gets, as `parse` returns them (by default the catalogue's, CatalogueEvent). */
export interface IdempotentConsumerOptions<E extends EventEnvelope = CatalogueEvent> {
  kafka: Kafka;
  dataSource: DataSource;
  groupId: string;
  /** Key in processed_events (default: groupId). Keep it stable across deployments. */
  consumerName?: string;
  topicPrefix: string;
  /** Base topic names (from TOPICS). */
  topics: string[];
  handler: EventHandler<E>;
  fromBeginning?: boolean;
  /** Publish malformed messages to the dead-letter topic (default true); otherwise log and skip them. */
  deadLetter?: boolean;
  /**
   * Checks each event (its envelope already read; `topic`: the base topic it was read from)
   * against its contract and returns it with its data parsed; throws EventContractError, and the
   * message is then malformed like a bad envelope. Default: the event catalogue's `parseEvent`
   * (every consumer of the system keeps this).
   */
  parse?: (event: EventEnvelope, topic: string) => E;
  logger?: EventsLogger;
  /**
   * kafkajs fetch wait (default 500 ms): how long the broker holds a fetch when there is nothing
   * new. New events end the wait at once, so it costs no latency; it sets how often an idle
   * consumer asks (each ask costs the broker and this process CPU).
   */
  maxWaitTimeInMs?: number;
  /**
   * kafkajs fetch `minBytes` (default 1): the broker holds a fetch until this many bytes are new
   * or `maxWaitTimeInMs` has passed. Above 1, a busy topic is read in fewer, larger fetches (fewer
   * requests and transactions) at the price of up to `maxWaitTimeInMs` of delay when it is quiet.
   */
  minBytes?: number;
  /** How long one attempt to start waits for the group join before it is retried (default 30 s). */
  joinTimeoutMs?: number;
  /** Most events applied in one transaction (default 500; 1 = one transaction per event). */
  maxBatchSize?: number;
  /**
   * How often the offsets of applied events are committed to Kafka (default 1000 ms), instead of
   * after every batch: a batch's effect is already committed in PostgreSQL with its event ids, so
   * an offset committed late only means that, after a crash or a rebalance, up to this much is
   * delivered again and skipped as already applied. Also committed when the consumer stops.
   */
  commitIntervalMs?: number;
  /**
   * Told of every batch handled (one topic partition's fetch): base topic, messages, seconds.
   * Called synchronously once the batch is done; it must only record (metrics), never wait.
   */
  onBatchDone?: BatchObserver;
}

/** See {@link IdempotentConsumerOptions.onBatchDone}. */
export type BatchObserver = (topic: string, messages: number, seconds: number) => void;

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

/** kafkajs workers per consumer: at least the partitions of every topic (topics.ts), so that a fetch's batches are all handled at once. */
const PARTITIONS_AT_ONCE = 32;

/** A well-formed message waiting to be applied. */
interface Pending {
  event: EventEnvelope;
  message: KafkaMessage;
}

/** A pending message with where it was read. */
interface Entry extends Pending {
  topic: string;
  partition: number;
}

/** A run of one partition handed to the gatherer, settled once applied. */
interface GatheredRun {
  topic: string;
  partition: number;
  run: Pending[];
  resolveOffset: (offset: string) => void;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** A handler's failure on one event of a batch (so that the events before it can still be committed). */
class FailedAt extends Error {
  constructor(
    readonly index: number,
    override readonly cause: unknown,
  ) {
    super('handler failed in a batch');
  }
}

/**
 * A Kafka consumer that applies each event exactly once per `consumerName`: the event id goes
 * into processed_events in the same transaction as the handler's writes, and offsets are
 * committed only after that transaction commits. Malformed messages (an envelope that does not
 * parse, or an event that does not fit its contract: `parse`, the event catalogue's) go to the
 * dead-letter topic with the reason and never block the partition; handlers get only events that
 * parsed, and failing handlers are retried on the same message.
 *
 * Messages are read a fetched batch at a time (kafkajs eachBatch) and applied in runs of up to
 * `maxBatchSize` consecutive well-formed messages of one partition; the runs of the batches of
 * one fetch (one batch per partition, handled at once) share one transaction, and a failure
 * there falls back to one transaction per run:
 * the run's event ids are inserted into processed_events at once (ON CONFLICT DO NOTHING
 * RETURNING), only the new ones are handed to the handler (its `batch` form if it has one), and
 * the run's offsets are resolved only once the transaction has committed. A crash mid-run
 * therefore loses nothing and applies nothing twice: the run rolls back and is redelivered. If
 * the handler fails on an event, the events before it are committed and that event is retried
 * on its own, as with one transaction per event. Each event's processing continues the trace of
 * the request that caused it (its `traceparent` header; see trace-context.ts).
 */
export class IdempotentConsumer<E extends EventEnvelope = CatalogueEvent> {
  private readonly kafka: Kafka;
  private readonly dataSource: DataSource;
  private readonly groupId: string;
  private readonly consumerName: string;
  private readonly topicPrefix: string;
  private readonly topics: string[];
  private readonly handler: EventHandler;
  private readonly fromBeginning: boolean;
  private readonly deadLetter: boolean;
  private readonly parse: (event: EventEnvelope, topic: string) => EventEnvelope;
  private readonly log: EventsLogger;
  private readonly maxWaitTimeInMs: number;
  private readonly minBytes: number;
  private readonly joinTimeoutMs: number;
  private readonly maxBatchSize: number;
  private readonly onBatchDone?: BatchObserver;

  private supervisor?: SupervisedConsumer;
  private producer?: Producer;
  private readonly commitIntervalMs: number;
  /** The next offset to commit, by "topic partition", for events applied since the last commit. */
  private readonly applied = new Map<string, { topic: string; partition: number; offset: string }>();
  private commitTimer?: NodeJS.Timeout;
  private committing?: Promise<void>;
  /** Runs handed over in this turn of the event loop, applied together (submit). */
  private gathered: GatheredRun[] = [];

  constructor(opts: IdempotentConsumerOptions<E>) {
    if (!opts.topics?.length) throw new TypeError('IdempotentConsumer: topics must not be empty');
    if (!opts.groupId) throw new TypeError('IdempotentConsumer: groupId is required');
    this.kafka = opts.kafka;
    this.dataSource = opts.dataSource;
    this.groupId = opts.groupId;
    this.consumerName = opts.consumerName ?? opts.groupId;
    this.topicPrefix = opts.topicPrefix;
    this.topics = [...opts.topics];
    // The handler gets only what `parse` returned (events of type E).
    this.handler = opts.handler as unknown as EventHandler;
    this.fromBeginning = opts.fromBeginning ?? false;
    this.deadLetter = opts.deadLetter ?? true;
    this.parse = opts.parse ?? parseEvent;
    this.log = opts.logger ?? defaultEventsLogger;
    this.maxWaitTimeInMs = opts.maxWaitTimeInMs ?? 500;
    this.minBytes = Math.max(1, Math.floor(opts.minBytes ?? 1));
    this.joinTimeoutMs = opts.joinTimeoutMs ?? 30000;
    this.maxBatchSize = Math.max(1, Math.floor(opts.maxBatchSize ?? 500));
    this.commitIntervalMs = Math.max(10, Math.floor(opts.commitIntervalMs ?? 1000));
    this.onBatchDone = opts.onBatchDone;
    for (const t of this.topics) topicName(this.topicPrefix, t); // validate early
  }

  /**
   * Connects, subscribes and runs; resolves once the consumer has joined its group (retrying with
   * back-off until then). From then on it comes back from every crash by itself (SupervisedConsumer).
   */
  async start(): Promise<void> {
    if (this.supervisor) throw new Error('IdempotentConsumer already started');
    // A member that dies without leaving (a crash) holds its partitions until its session times
    // out: 10 s (Kafka's default is 30 s) keeps that pause short; heartbeats every 1 s keep a
    // live member well inside it.
    const supervisor = new SupervisedConsumer({
      kafka: this.kafka,
      name: this.consumerName,
      config: { groupId: this.groupId, maxWaitTimeInMs: this.maxWaitTimeInMs, minBytes: this.minBytes, sessionTimeout: 10_000, heartbeatInterval: 1_000 },
      subscription: { topics: this.topics.map((t) => topicName(this.topicPrefix, t)), fromBeginning: this.fromBeginning },
      // Offsets are committed by the timer (commitIntervalMs), not by kafkajs after every batch.
      // The batches of one fetch (one per partition) are handled at once, and their runs applied in
      // one transaction (submit).
      run: { autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: PARTITIONS_AT_ONCE, eachBatch: (payload) => this.observed(payload) },
      // A new assignment (a rebalance or a rebuilt consumer): offsets applied under the old one may
      // no longer be this member's to commit; they are delivered again and skipped as applied.
      onJoin: () => this.applied.clear(),
      joinTimeoutMs: this.joinTimeoutMs,
      log: this.log,
    });
    this.supervisor = supervisor;
    try {
      if (this.deadLetter) {
        const producer = this.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
        this.producer = producer;
        await retryForever(() => producer.connect(), { what: `connect the dead-letter producer of ${this.consumerName}`, stopped: () => this.supervisor !== supervisor, log: this.log });
      }
      this.commitTimer = setInterval(() => void this.commitApplied(), this.commitIntervalMs);
      this.commitTimer.unref();
      await supervisor.start();
    } catch (err) {
      await this.disconnect();
      throw err;
    }
  }

  /** Stops consuming (offsets of applied messages are committed) and disconnects. */
  async stop(): Promise<void> {
    await this.disconnect();
  }

  /** Whether the consumer runs now (joined and consuming), and for how long it has not. */
  status(): ConsumerStatus {
    return this.supervisor?.status() ?? { consumer: this.consumerName, groupId: this.groupId, running: false, rebuilds: 0 };
  }

  /** Commits the offsets of the events applied since the last commit (failures are retried next time). */
  private commitApplied(): Promise<void> {
    if (this.committing) return this.committing;
    const consumer = this.supervisor?.consumer();
    if (!consumer || this.applied.size === 0) return Promise.resolve();
    const batch = [...this.applied.entries()];
    this.committing = consumer
      .commitOffsets(batch.map(([, o]) => o))
      .then(() => {
        for (const [key, o] of batch) if (this.applied.get(key)?.offset === o.offset) this.applied.delete(key);
      })
      .catch((err) => this.log.warn({ err: serializeError(err), consumer: this.consumerName }, 'offset commit failed; retried at the next interval (events applied meanwhile are skipped if delivered again)'))
      .finally(() => {
        this.committing = undefined;
      });
    return this.committing;
  }

  private async disconnect(): Promise<void> {
    if (this.commitTimer) clearInterval(this.commitTimer);
    this.commitTimer = undefined;
    // The last commit, while the consumer is still a member of its group.
    await this.commitApplied().catch(noop);
    const { supervisor, producer } = this;
    this.supervisor = undefined;
    this.producer = undefined;
    if (supervisor) await supervisor.stop();
    if (producer) await producer.disconnect().catch(noop);
  }

  private baseTopic(topic: string): string {
    return topic.startsWith(this.topicPrefix) ? topic.slice(this.topicPrefix.length) : topic;
  }

  /** onBatch, timed for `onBatchDone` (a batch that throws is retried, and timed when it succeeds). */
  private async observed(payload: EachBatchPayload): Promise<void> {
    if (!this.onBatchDone) return this.onBatch(payload);
    const started = performance.now();
    await this.onBatch(payload);
    this.onBatchDone(this.baseTopic(payload.batch.topic), payload.batch.messages.length, (performance.now() - started) / 1000);
  }

  private async onBatch({ batch, resolveOffset: resolveInKafkajs, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    // Resolved in kafkajs (its position) and kept for the next commit.
    const resolveOffset = (offset: string) => {
      resolveInKafkajs(offset);
      this.applied.set(`${topic} ${partition}`, { topic, partition, offset: (BigInt(offset) + 1n).toString() });
    };
    const live = () => isRunning() && !isStale();
    let run: Pending[] = [];
    const flush = async () => {
      if (run.length === 0) return;
      const pending = run;
      run = [];
      await this.submit(topic, partition, pending, resolveOffset);
      await heartbeat();
    };
    for (const message of batch.messages) {
      // Stopping, or the partition was moved: leave the rest unresolved (it is redelivered).
      if (!live()) return;
      let event: EventEnvelope;
      try {
        event = this.parse(parseEnvelope(message.value), this.baseTopic(topic));
      } catch (err) {
        if (!(err instanceof EnvelopeError) && !(err instanceof EventContractError)) throw err;
        await flush();
        await this.rejectMessage(topic, partition, message, err.reason);
        resolveOffset(message.offset);
        continue;
      }
      run.push({ event, message });
      if (run.length >= this.maxBatchSize) await flush();
    }
    if (live()) await flush();
  }

  /**
   * Hands a run of one partition to the gatherer: the runs that the batches of one fetch hand
   * over in the same turn of the event loop (kafkajs runs them concurrently, one per partition)
   * are applied together, in one transaction (applyGathered). Resolves once this run is applied.
   */
  private submit(topic: string, partition: number, run: Pending[], resolveOffset: (offset: string) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.gathered.push({ topic, partition, run, resolveOffset, resolve, reject });
      if (this.gathered.length === 1) setImmediate(() => void this.applyGathered(this.gathered.splice(0)));
    });
  }

  /**
   * Applies the gathered runs of several partitions in one transaction (each partition's events
   * in their order; the batch handler may get events of several partitions). If that fails, each
   * run is applied on its own as before (applyRun), so a failing event holds up only its own
   * partition.
   */
  private async applyGathered(jobs: GatheredRun[]): Promise<void> {
    if (jobs.length > 1) {
      const entries = jobs.flatMap((j) => j.run.map((p) => ({ ...p, topic: j.topic, partition: j.partition })));
      try {
        const applied = await this.applyInTransaction(entries);
        for (const j of jobs) j.resolveOffset(j.run[j.run.length - 1].message.offset);
        if (applied < entries.length) this.log.info({ consumer: this.consumerName, partitions: jobs.length, skipped: entries.length - applied }, 'duplicate events skipped');
        for (const j of jobs) j.resolve();
        return;
      } catch (err) {
        if (err instanceof FailedAt) this.logHandlerFailure(err.cause, entries[err.index]);
        else this.log.warn({ err: serializeError(err), consumer: this.consumerName, partitions: jobs.length, events: entries.length }, "batch rolled back; applying each partition's events on its own");
      }
    }
    for (const j of jobs) {
      try {
        await this.applyRun(j.topic, j.partition, j.run, j.resolveOffset);
        j.resolve();
      } catch (err) {
        j.reject(err);
      }
    }
  }

  /** Applies consecutive messages of one partition in one transaction; resolves their offsets once it commits. */
  private async applyRun(topic: string, partition: number, run: Pending[], resolveOffset: (offset: string) => void): Promise<void> {
    if (run.length === 1) {
      await this.applyOne(topic, partition, run[0]);
      resolveOffset(run[0].message.offset);
      return;
    }
    let applied: number;
    try {
      applied = await this.applyInTransaction(run.map((p) => ({ ...p, topic, partition })));
    } catch (err) {
      if (err instanceof FailedAt) {
        // The events before the failing one are fine: commit them, then retry that one alone.
        const failed = run[err.index];
        this.logHandlerFailure(err.cause, { ...failed, topic, partition });
        if (err.index > 0) await this.applyRun(topic, partition, run.slice(0, err.index), resolveOffset);
        throw new EventHandlerError(err.cause, failed.event.id);
      }
      // The batch handler refused, or the transaction failed: apply the events one at a time
      // (each in its own transaction, offsets resolved as they commit; a failing one throws).
      this.log.warn({ err: serializeError(err), consumer: this.consumerName, topic, partition, fromOffset: run[0].message.offset, events: run.length }, 'batch rolled back; applying its events one at a time');
      for (const p of run) {
        await this.applyOne(topic, partition, p);
        resolveOffset(p.message.offset);
      }
      return;
    }
    resolveOffset(run[run.length - 1].message.offset);
    if (applied < run.length) {
      this.log.info({ consumer: this.consumerName, topic, partition, fromOffset: run[0].message.offset, toOffset: run[run.length - 1].message.offset, skipped: run.length - applied }, 'duplicate events skipped');
    }
  }

  /**
   * Records the entries' event ids as processed and applies the new ones (the first delivery of
   * each id), all in one transaction: with the batch handler when there are several, else one by
   * one (a failing event throws FailedAt with its index). Returns how many were applied.
   */
  private async applyInTransaction(entries: Entry[]): Promise<number> {
    let applied = 0;
    const traced = entries.map((p) => ({ topic: p.topic, eventId: p.event.id, headers: p.message.headers }));
    await inProcessSpans(this.consumerName, traced, () =>
      this.dataSource.transaction(async (manager) => {
        const inserted: { event_id: string }[] = await manager.query('INSERT INTO processed_events (consumer, event_id) SELECT $1, id FROM unnest($2::uuid[]) AS id ON CONFLICT DO NOTHING RETURNING event_id', [
          this.consumerName,
          entries.map((p) => p.event.id),
        ]);
        const fresh = new Set(inserted.map((r) => r.event_id.toLowerCase()));
        // Only the first delivery of each new id (an id twice in one run is a duplicate publish).
        const items: (BatchItem & { index: number })[] = [];
        entries.forEach((p, index) => {
          if (fresh.delete(p.event.id.toLowerCase())) items.push({ event: p.event, meta: { topic: this.baseTopic(p.topic), partition: p.partition, offset: p.message.offset }, index });
        });
        if (items.length === 0) return;
        if (this.handler.batch && items.length > 1) {
          await this.handler.batch(
            items.map(({ event, meta }) => ({ event, meta })),
            manager,
          );
        } else {
          for (const item of items) {
            try {
              await this.handler(item.event, manager, item.meta);
            } catch (err) {
              throw new FailedAt(item.index, err);
            }
          }
        }
        applied = items.length;
      }),
    );
    return applied;
  }

  private logHandlerFailure(err: unknown, { event, topic, partition, message }: Entry): void {
    this.log.warn(
      { err: serializeError(err), consumer: this.consumerName, eventId: event.id, eventType: event.type, topic, partition, offset: message.offset },
      'event handler failed; the transaction was rolled back and the message will be retried',
    );
  }

  /** One event in its own transaction (throws EventHandlerError if the handler fails). */
  private async applyOne(topic: string, partition: number, { event, message }: Pending): Promise<void> {
    const meta = { topic: this.baseTopic(topic), partition, offset: message.offset };
    let applied = false;
    try {
      // The handler's queries continue the trace of the request that caused the event.
      await inProcessSpans(this.consumerName, [{ topic, eventId: event.id, headers: message.headers }], () =>
        this.dataSource.transaction(async (manager) => {
          const inserted: unknown[] = await manager.query('INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id', [this.consumerName, event.id]);
          if (inserted.length === 0) return; // already applied: a redelivery or a duplicate publish
          await this.handler(event, manager, meta);
          applied = true;
        }),
      );
    } catch (err) {
      this.logHandlerFailure(err, { event, message, topic, partition });
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
