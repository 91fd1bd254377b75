import type { Consumer, ConsumerConfig, ConsumerRunConfig, ConsumerSubscribeTopics, Kafka } from 'kafkajs';
import { serializeError, type EventsLogger } from './logger';
import { retryForever } from './retry';

export interface SupervisedConsumerOptions {
  kafka: Kafka;
  /** kafkajs consumer settings (group id, fetch and session settings). */
  config: ConsumerConfig;
  subscription: ConsumerSubscribeTopics;
  /** How each kafkajs consumer that the supervisor builds runs (eachBatch or eachMessage, commits). */
  run: ConsumerRunConfig;
  /** Called at every group join of the current consumer: a first join, a rejoin after a rebalance, a rebuild. */
  onJoin?: () => void;
  /** How long one attempt waits for the group join before it is given up and retried (default 30 s). */
  joinTimeoutMs?: number;
  /** Name in log lines and in status() (default: the group id). */
  name?: string;
  log: EventsLogger;
}

/** What readiness and an operator need to know of a consumer. */
export interface ConsumerStatus {
  consumer: string;
  groupId: string;
  /** Joined its group and consuming. False while starting, after a crash and while it is rebuilt. */
  running: boolean;
  /** How long it has not been running (absent while it runs). */
  downForMs?: number;
  /** How many times it was rebuilt after a crash. */
  rebuilds: number;
}

const noop = () => undefined;

/**
 * A Kafka consumer that comes back from every crash. kafkajs restarts a crashed consumer only
 * when it judges the error retriable, and a consumer it does not restart stops for good (after a
 * broker outage, "Failed to find group coordinator" is such an error). Here kafkajs never
 * restarts one itself: every crash, whatever its error, disconnects the consumer and builds a
 * new one that joins the group again, with back-off (retryForever), forever, each attempt
 * logged. The new member resumes from the group's committed offsets; what was applied after the
 * last commit is delivered again, which an idempotent handler skips.
 *
 * `start()` resolves at the first group join (retrying until then); `status()` says whether it
 * runs now and for how long it has not.
 */
export class SupervisedConsumer {
  private current?: Consumer;
  private joined = false;
  private stopped = false;
  private downSince = Date.now();
  private rebuilds = 0;
  private connecting?: Promise<void>;
  private abortJoin?: () => void;
  private readonly name: string;
  private readonly groupId: string;

  constructor(private readonly opts: SupervisedConsumerOptions) {
    this.groupId = opts.config.groupId;
    this.name = opts.name ?? opts.config.groupId;
  }

  /** Connects, subscribes and runs; resolves once joined, retrying with back-off until then (rejects if stopped first). Once stopped, it cannot start again. */
  start(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error(`consumer ${this.name} was stopped`));
    if (this.connecting) return this.connecting;
    if (this.current) return Promise.resolve();
    return this.connect(`start consumer ${this.name}`);
  }

  /** The consumer while it is joined (for offset commits), else undefined. */
  consumer(): Consumer | undefined {
    return this.joined ? this.current : undefined;
  }

  status(): ConsumerStatus {
    const running = this.joined && !this.stopped;
    return { consumer: this.name, groupId: this.groupId, running, ...(running ? {} : { downForMs: Date.now() - this.downSince }), rebuilds: this.rebuilds };
  }

  /** Leaves the group and disconnects; no rebuild follows. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.markDown();
    this.abortJoin?.();
    const consumer = this.current;
    this.current = undefined;
    if (consumer) await consumer.disconnect().catch(noop);
    await this.connecting?.catch(noop);
  }

  private connect(what: string): Promise<void> {
    const connecting = retryForever(() => this.attempt(), { what, stopped: () => this.stopped, log: this.opts.log, fields: { consumer: this.name } }).finally(() => {
      if (this.connecting === connecting) this.connecting = undefined;
    });
    this.connecting = connecting;
    return connecting;
  }

  /** One consumer, from connect to its first group join. */
  private async attempt(): Promise<void> {
    if (this.stopped) throw new Error(`consumer ${this.name} stopped`);
    // kafkajs restarts nothing itself: every crash comes to onCrash, which rebuilds.
    const consumer = this.opts.kafka.consumer({ ...this.opts.config, retry: { ...this.opts.config.retry, restartOnFailure: async () => false } });
    this.current = consumer;
    let joinedOnce = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (this.current !== consumer) return;
      joinedOnce = true;
      this.markUp();
      this.opts.onJoin?.();
    });
    consumer.on(consumer.events.CRASH, (e) => {
      if (this.current !== consumer) return;
      this.markDown();
      // A crash before the first join fails this attempt (below), which is retried.
      if (joinedOnce) void this.rebuild(consumer, e.payload.error);
    });
    let timer: NodeJS.Timeout | undefined;
    const removers: (() => void)[] = [];
    const joined = new Promise<void>((resolve, reject) => {
      removers.push(consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      removers.push(consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error)));
      // stop() ends the wait at once (a crash emits STOP too, so STOP alone cannot tell).
      this.abortJoin = () => reject(new Error(`consumer ${this.name} was stopped before it joined`));
      const ms = this.opts.joinTimeoutMs ?? 30_000;
      timer = setTimeout(() => reject(new Error(`no group join within ${ms} ms`)), ms);
    });
    joined.catch(noop);
    try {
      await consumer.connect();
      await consumer.subscribe(this.opts.subscription);
      await consumer.run(this.opts.run);
      await joined;
    } catch (err) {
      if (this.current === consumer) this.current = undefined;
      this.markDown();
      await consumer.disconnect().catch(noop);
      throw err;
    } finally {
      if (timer) clearTimeout(timer);
      this.abortJoin = undefined;
      for (const remove of removers) remove();
    }
  }

  private async rebuild(crashed: Consumer, err: Error): Promise<void> {
    if (this.stopped || this.current !== crashed) return;
    this.current = undefined;
    this.rebuilds += 1;
    this.opts.log.error({ consumer: this.name, groupId: this.groupId, err: serializeError(err), rebuilds: this.rebuilds }, 'consumer crashed; building a new one to rejoin its group');
    await crashed.disconnect().catch(noop);
    await this.connect(`rebuild consumer ${this.name}`).catch(noop);
  }

  private markUp(): void {
    if (!this.joined && this.rebuilds > 0) {
      this.opts.log.info({ consumer: this.name, groupId: this.groupId, downForMs: Date.now() - this.downSince, rebuilds: this.rebuilds }, 'consumer running again');
    }
    this.joined = true;
  }

  private markDown(): void {
    if (this.joined) this.downSince = Date.now();
    this.joined = false;
  }
}
