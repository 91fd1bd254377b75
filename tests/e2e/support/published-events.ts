import { randomUUID } from 'node:crypto';
import { createKafka } from '@remote-help/events';
import type { Admin, Consumer } from 'kafkajs';
import { Client } from 'pg';
import { databases, eventually, required } from './client';

/** One event as it was published to Kafka. */
export interface PublishedEvent {
  type: string;
  subject: string;
  tenantId: string;
  time: string;
  data: any;
}

interface Recorded {
  partition: number;
  offset: number;
  event: PublishedEvent;
}

/**
 * Reads what a service published: one consumer of this run's topics (a group of its own, from
 * the beginning) records every event; `events()` first waits until the service's outbox is empty
 * (what it wrote is on Kafka: the relay deletes a row once Kafka has acknowledged it), then until
 * the consumer has read up to each partition's end as it was then. Kafka keeps the order per
 * aggregate (the key, `subject`), not across aggregates: events come back by time, and events of
 * one aggregate in the order they were published.
 */
export class PublishedEvents {
  private readonly kafka = createKafka({ clientId: 'e2e-published-events', brokers: required('RH_E2E_KAFKA_BROKERS').split(','), logLevel: 'error' });
  private readonly prefix = required('RH_E2E_TOPIC_PREFIX');
  private readonly recorded = new Map<string, Recorded[]>();
  /** The next offset to read, by `topic:partition`. */
  private readonly next = new Map<string, number>();
  private consumer?: Consumer;
  private admin?: Admin;
  /** The service's database, for its outbox. */
  private pg?: Client;

  constructor(
    private readonly service: string,
    private readonly topicBases: string[],
  ) {}

  async start(): Promise<void> {
    this.pg = new Client({ connectionString: databases()[this.service] });
    await this.pg.connect();
    this.admin = this.kafka.admin();
    await this.admin.connect();
    this.consumer = this.kafka.consumer({ groupId: `${this.prefix}e2e-published-events-${randomUUID()}`, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topicBases.map((b) => this.prefix + b), fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        // After a rejoin (no offsets are committed) a partition is read again from the start:
        // what was read already is skipped, so that each event is recorded once.
        if (Number(message.offset) < (this.next.get(`${topic}:${partition}`) ?? 0)) return;
        const e = JSON.parse(message.value!.toString('utf8'));
        const list = this.recorded.get(topic) ?? [];
        list.push({ partition, offset: Number(message.offset), event: { type: e.type, subject: e.subject, tenantId: e.tenantId, time: e.time, data: e.data } });
        this.recorded.set(topic, list);
        this.next.set(`${topic}:${partition}`, Number(message.offset) + 1);
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.admin?.disconnect();
    await this.pg?.end();
  }

  /** The events of a tenant on a topic (by its base name), everything the service wrote so far included. */
  async events(topicBase: string, tenantId: string, types?: string[]): Promise<PublishedEvent[]> {
    if (!this.topicBases.includes(topicBase)) throw new Error(`not recording ${topicBase}`);
    await this.outboxEmpty();
    const topic = this.prefix + topicBase;
    const ends = await this.admin!.fetchTopicOffsets(topic);
    const read = await eventually(
      async () => ends.every((p) => (this.next.get(`${topic}:${p.partition}`) ?? 0) >= Number(p.high)),
      (done) => done,
      20_000,
    );
    if (!read) throw new Error(`${topic} was not read to its end within 20 s`);
    const byPartition = [...(this.recorded.get(topic) ?? [])].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
    // A stable sort by time: events of one aggregate (one partition) keep their published order.
    const events = byPartition.map((r) => r.event).filter((e) => e.tenantId === tenantId);
    events.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    return types ? events.filter((e) => types.includes(e.type)) : events;
  }

  private async outboxEmpty(): Promise<void> {
    const left = await eventually(
      async () => Number((await this.pg!.query('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL')).rows[0].n),
      (n) => n === 0,
      20_000,
    );
    if (left) throw new Error(`${this.service}'s outbox still holds ${left} unpublished events after 20 s`);
  }
}
