import {
  type CatalogueEvent,
  consumerGroupLag,
  createKafka,
  isEventOf,
  parseEnvelope,
  parseEvent,
  REPORTING_EVENTS,
  SESSION_EVENTS,
  SupervisedConsumer,
  TOPICS,
  topicName,
  type ConsumerStatus,
} from '@remote-help/events';
import type { ProcessMetrics } from '@remote-help/metrics';
import type { Admin, Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import type { Logger } from 'pino';
import type { Hub } from './hub';

export const sessionChannel = (sessionId: string) => `session:${sessionId}`;
export const countChannel = (tenantId: string) => `tenant-count:${tenantId}`;
export const chatChannel = (sessionId: string) => `chat:${sessionId}`;

const SESSION_EVENT_TYPES = Object.values(SESSION_EVENTS);

/** The feed's consumer name (logs, readiness, the metrics' `consumer` label). */
const FEED = 'gateway.event-feed';

/**
 * Feeds the hub from Kafka: session lifecycle events (for `sessionUpdated`) and reporting's
 * active-count changes (for `activeSessionCount`). One consumer group per gateway instance, so
 * that every instance sees every event; it starts at the latest offsets (live pushes only).
 */
export class EventFeed {
  /** The gateway's Kafka client (also the rate-limit sync's). */
  readonly kafka: Kafka;
  private readonly groupId: string;
  private readonly consumer: SupervisedConsumer;
  private readonly seen = new Set<string>();
  private positioned = false;
  private markPositioned!: () => void;
  private readonly positionedOnce = new Promise<void>((resolve) => (this.markPositioned = resolve)).then(() => void (this.positioned = true));

  constructor(
    private readonly hub: Hub,
    private readonly opts: {
      brokers: string[];
      topicPrefix: string;
      log: Logger;
      metrics?: ProcessMetrics;
      /** Other topics this feed reads for the gateway, by base name, each with its handler (messages that are not events). */
      also?: Record<string, (value: Buffer | null) => void>;
    },
  ) {
    this.kafka = createKafka({ brokers: opts.brokers, clientId: 'gateway' });
    this.groupId = `${opts.topicPrefix}gateway.${os.hostname()}.${process.pid}.${randomUUID().slice(0, 8)}`;
    // The same supervised consumer as every service's: it retries its start and comes back from
    // every crash (a broker outage) by itself.
    this.consumer = new SupervisedConsumer({
      kafka: this.kafka,
      name: FEED,
      // A fetch returns as soon as an event arrives: the wait only sets how often an idle feed asks.
      config: { groupId: this.groupId, maxWaitTimeInMs: 500, sessionTimeout: 10_000, heartbeatInterval: 1_000 },
      subscription: { topics: this.topics().map((t) => topicName(opts.topicPrefix, t)), fromBeginning: false },
      // Offsets committed at most once a second rather than after every batch: the group is this
      // process's own, and its position only matters if the broker moves it (a rejoin after a pause).
      run: { autoCommitInterval: 1000, eachMessage: async ({ topic, message }) => this.timed(topic, message.value) },
      log: opts.log,
      onJoin: () => this.awaitFirstFetch(),
    });
    opts.metrics?.trackConsumerLag(FEED, () => this.lag());
  }

  /** The base topics read. */
  private topics(): string[] {
    return [TOPICS.session, TOPICS.reporting, ...Object.keys(this.opts.also ?? {})];
  }

  /** handle, timed for the metrics (recorded in memory, never awaited). */
  private timed(topic: string, value: Buffer | null) {
    const metrics = this.opts.metrics;
    const also = this.opts.also?.[topic.slice(this.opts.topicPrefix.length)];
    const handle = also ?? ((v: Buffer | null) => this.handle(topic, v));
    if (!metrics) return handle(value);
    const started = performance.now();
    handle(value);
    metrics.consumerBatch(FEED, topic.slice(this.opts.topicPrefix.length), 1, (performance.now() - started) / 1000);
  }

  private lagAdmin?: Promise<Admin>;

  /** The feed's lag by base topic (for the metrics, at scrape time); a partition it has not committed yet counts 0 (it starts at the end). */
  private async lag(): Promise<Map<string, number>> {
    this.lagAdmin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })();
    try {
      const topics = this.topics();
      const lag = await consumerGroupLag(
        await this.lagAdmin,
        this.groupId,
        topics.map((t) => topicName(this.opts.topicPrefix, t)),
        'none',
      );
      return new Map([...lag].map(([topic, n]) => [topic.slice(this.opts.topicPrefix.length), n]));
    } catch (err) {
      const admin = this.lagAdmin;
      this.lagAdmin = undefined;
      void admin.then((a) => a.disconnect()).catch(() => undefined);
      throw err;
    }
  }

  /**
   * The group is this process's own and new, so it starts at the topics' ends as they are when
   * kafkajs first asks for them, after the join (not when the process starts): an event published
   * before then never reaches the hub. kafkajs settles the start of every assigned partition before
   * its first fetch, so from the first fetch after a join on, every event published reaches the hub.
   */
  private awaitFirstFetch() {
    const consumer = this.consumer.consumer();
    if (!consumer) return;
    const off = consumer.on(consumer.events.FETCH, () => {
      off();
      this.markPositioned();
    });
  }

  /**
   * Undefined once every event published from then on reaches the hub (see awaitFirstFetch);
   * before then (the feed is still joining: just started, or Kafka is away), a promise that
   * resolves when they do.
   */
  untilPositioned(): Promise<void> | undefined {
    return this.positioned ? undefined : this.positionedOnce;
  }

  /** Resolves once the feed has joined its group (retrying until then). */
  start(): Promise<void> {
    return this.consumer.start();
  }

  /** Whether the feed consumes now (false while it starts, after a crash and while it is rebuilt). */
  get ready(): boolean {
    return this.consumer.status().running;
  }

  status(): ConsumerStatus {
    return this.consumer.status();
  }

  /**
   * Every gateway instance reads every event in a group of its own, so an event that does not
   * parse (envelope or contract) is logged and skipped here: dead-lettering it would put it on
   * the dead-letter topic once per instance (the services' consumers dead-letter it once).
   */
  private handle(topic: string, value: Buffer | null) {
    let event: CatalogueEvent;
    try {
      event = parseEvent(parseEnvelope(value), topic.slice(this.opts.topicPrefix.length));
    } catch (e) {
      this.opts.log.warn({ err: (e as Error).message }, 'event feed: unreadable event set aside');
      return;
    }
    if (this.seen.has(event.id)) return; // redelivered after a rebalance
    this.seen.add(event.id);
    if (this.seen.size > 50_000) this.seen.clear();
    if (isEventOf(event, ...SESSION_EVENT_TYPES)) {
      this.hub.publish(sessionChannel(event.data.sessionId), event.data);
    } else if (isEventOf(event, REPORTING_EVENTS.activeSessionCountChanged)) {
      this.hub.publish(countChannel(event.data.tenantId), event.data);
    }
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
    await this.lagAdmin?.then((a) => a.disconnect()).catch(() => undefined);
    // The group belongs to this process alone: remove it rather than leave it for the broker to expire.
    const admin = this.kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteGroups([this.groupId]))
      .catch(() => undefined)
      .finally(() => admin.disconnect().catch(() => undefined));
  }
}
