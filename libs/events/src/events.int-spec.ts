// Integration tests of @remote-help/events against the real PostgreSQL (127.0.0.1:5432, user
// postgres) and a real Kafka broker (KAFKA_BROKERS, else 127.0.0.1:9092, started with
// scripts/kafka.mjs when nothing answers there, and stopped again afterwards).
// Each run uses its own database (rh_events_it_<random>) and topic prefix (it-<random>.), and
// removes both at the end.
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

import { randomBytes } from 'node:crypto';
import { logLevel, Partitioners, type IHeaders, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { eventsTestDatabase, kafkaForTests, memoryLogger, startBrokerProxy, waitFor } from './testing';
import {
  auditEvent,
  createEvent,
  createKafka,
  ensureTopics,
  IdempotentConsumer,
  OutboxEventEntity,
  hasLocalOutboxRelay,
  OUTBOX_CHANNEL,
  OutboxRelay,
  purgeProcessedEvents,
  RELAY_LOCK_KEY,
  wakeLocalOutboxRelays,
  purgeSentOutbox,
  TOPICS,
  topicName,
  writeToOutbox,
  type EventEnvelope,
  type BatchItem,
  type EventHandler,
  withBatchHandler,
} from './index';

const RUN = randomBytes(4).toString('hex');
const DB = `rh_events_it_${RUN}`;
const PREFIX = `it-${RUN}.`;
const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const CASE5_TENANT = '00000000-0000-4000-8000-0000000000c5';

jest.setTimeout(60_000);

let brokers: string[];
let stopKafka: () => void = () => undefined;
let dataSource: DataSource;
let dropDatabase: () => Promise<void> = async () => undefined;
let kafka: Kafka;
let producer: Producer;
const cleanups: (() => Promise<unknown>)[] = [];

// ------------------------------------------------------------------------------------ helpers

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Received = KafkaMessage & { partition: number };

/** Reads a topic from the beginning with a fresh group; resolves once the group is joined. */
async function collect(base: string, label: string) {
  const messages: Received[] = [];
  const consumer = kafka.consumer({ groupId: `it-${RUN}-collect-${label}`, maxWaitTimeInMs: 100 });
  const joined = new Promise<void>((r) => consumer.on(consumer.events.GROUP_JOIN, () => r()));
  await consumer.connect();
  await consumer.subscribe({ topic: topicName(PREFIX, base), fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message, partition }) => void messages.push({ ...message, partition }) });
  await joined;
  const stop = () => consumer.disconnect();
  cleanups.push(stop);
  return { messages, stop };
}

const header = (h: IHeaders | undefined, name: string) => h?.[name]?.toString();
const eventIds = (ms: Received[]) => ms.map((m) => header(m.headers, 'event-id'));

async function produceRaw(base: string, key: string, value: string | Buffer | null) {
  await producer.send({ topic: topicName(PREFIX, base), acks: -1, messages: [{ key, value }] });
}

const event = (type: string, subject: string, data: unknown = {}) => createEvent({ type, source: 'events-it', tenantId: 'tenant-1', subject, data });

/**
 * The consumers of these tests check envelopes only (their events are made up, outside the event
 * catalogue): they test the consumer's machinery. Case 5 keeps the catalogue's parse, as every
 * consumer of the system does.
 */
const anyEvent = (e: EventEnvelope) => e;

async function counter(name: string): Promise<number> {
  const rows = await dataSource.query('SELECT n FROM counters WHERE name = $1', [name]);
  return rows.length ? rows[0].n : 0;
}

async function processedRows(consumer: string, eventId: string): Promise<number> {
  const rows = await dataSource.query('SELECT count(*)::int AS n FROM processed_events WHERE consumer = $1 AND event_id = $2', [consumer, eventId]);
  return rows[0].n;
}

/** The handler's own write: a counter per key, in the consumer's transaction. */
async function bump(manager: Parameters<EventHandler>[1], name: string) {
  await manager.query('INSERT INTO counters (name, n) VALUES ($1, 1) ON CONFLICT (name) DO UPDATE SET n = counters.n + 1', [name]);
}

async function startConsumer(label: string, topics: string[], handler: EventHandler, { catalogue = false } = {}) {
  const { logger, entries } = memoryLogger();
  const consumer = new IdempotentConsumer({
    kafka,
    dataSource,
    groupId: `it-${RUN}-${label}`,
    topicPrefix: PREFIX,
    topics,
    handler,
    fromBeginning: true,
    logger,
    ...(catalogue ? {} : { parse: anyEvent }),
  });
  await consumer.start();
  cleanups.push(() => consumer.stop());
  return { consumer, logs: entries };
}

// ------------------------------------------------------------------------------------ set-up

beforeAll(async () => {
  ({ brokers, stop: stopKafka } = await kafkaForTests());

  ({ dataSource, drop: dropDatabase } = await eventsTestDatabase(DB));
  await dataSource.query('CREATE TABLE counters (name text PRIMARY KEY, n int NOT NULL)');

  kafka = createKafka({ brokers, clientId: `events-it-${RUN}` });
  await ensureTopics(kafka, PREFIX);
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
}, 180_000);

afterAll(async () => {
  for (const close of cleanups.reverse()) await close().catch(() => undefined);
  await producer?.disconnect().catch(() => undefined);
  if (kafka) {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: Object.values(TOPICS).map((b) => topicName(PREFIX, b)) }).catch(() => undefined);
    const { groups } = await admin.listGroups();
    const ours = groups.map((g) => g.groupId).filter((g) => g.startsWith(`it-${RUN}-`));
    if (ours.length) await admin.deleteGroups(ours).catch(() => undefined);
    await admin.disconnect();
  }
  await dropDatabase();
  stopKafka();
}, 120_000);

// ------------------------------------------------------------------------------------ tests

describe('schema', () => {
  it('the migrations create exactly what the entities describe, and down drops it', async () => {
    const diff = await dataSource.driver.createSchemaBuilder().log();
    expect(diff.upQueries.map((q) => q.query)).toEqual([]);

    // Down, newest first: the trace context column, then the tables.
    await dataSource.undoLastMigration();
    const columns = await dataSource.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'outbox' AND column_name = 'trace_context'`);
    expect(columns[0].n).toBe(0);
    await dataSource.undoLastMigration();
    const after = await dataSource.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('outbox', 'processed_events')`);
    expect(after[0].n).toBe(0);
    await dataSource.runMigrations();
    const back = await dataSource.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('outbox', 'processed_events')`);
    expect(back[0].n).toBe(2);
  });
});

describe('outbox and relay', () => {
  it('(1) publishes a committed event once and removes it from the outbox; a rolled-back one is never published', async () => {
    const topic = await collect(TOPICS.tenant, 'case1');
    // A poll interval (an hour) far above the test's generous waits: an event can only arrive
    // here because the commit's NOTIFY woke the relay. How fast is the benchmark's business.
    const { logger } = memoryLogger();
    const relay = new OutboxRelay({ dataSource, kafka, topicPrefix: PREFIX, pollIntervalMs: 3_600_000, logger });
    await relay.start();

    const e1 = event('tenant.created', 'tenant-A', { name: 'Acme' });
    const t0 = Date.now();
    await dataSource.transaction(async (m) => {
      await m.query(`INSERT INTO counters (name, n) VALUES ('tenants', 1)`);
      await writeToOutbox(m, TOPICS.tenant, e1);
    });
    await waitFor('e1 on Kafka (woken by NOTIFY: the poll is an hour away)', () => topic.messages.length >= 1, 60_000);
    const latencyMs = Date.now() - t0;

    const e2 = event('tenant.renamed', 'tenant-A', { name: 'Never' });
    await expect(
      dataSource.transaction(async (m) => {
        await m.query(`UPDATE counters SET n = n + 1 WHERE name = 'tenants'`);
        await writeToOutbox(m, TOPICS.tenant, e2);
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');

    // e3 is committed after e2 was rolled back, on the same key: had e2 been published, it would come first.
    const e3 = event('tenant.renamed', 'tenant-A', { name: 'Acme 2' });
    await dataSource.transaction((m) => writeToOutbox(m, TOPICS.tenant, e3));
    await waitFor('e3 on Kafka (woken by NOTIFY)', () => topic.messages.length >= 2, 60_000);
    await sleep(700); // room for a duplicate to show up

    expect(eventIds(topic.messages)).toEqual([e1.id, e3.id]);
    const [m1] = topic.messages;
    expect(m1.key!.toString()).toBe('tenant-A');
    expect(header(m1.headers, 'event-type')).toBe('tenant.created');
    expect(JSON.parse(m1.value!.toString())).toEqual(e1);

    // Published rows leave the outbox in the transaction that saw Kafka acknowledge them.
    expect(await dataSource.getRepository(OutboxEventEntity).count()).toBe(0);
    expect(await counter('tenants')).toBe(1);

    await relay.stop();
    // flushOnce publishes on demand (and works without start()).
    const e4 = event('tenant.deleted', 'tenant-A');
    await dataSource.transaction((m) => writeToOutbox(m, TOPICS.tenant, e4));
    expect(await relay.flushOnce()).toBe(1);
    expect(await relay.flushOnce()).toBe(0);
    await relay.stop();
    await waitFor('e4 on Kafka', () => topic.messages.length >= 3, 60_000);
    expect(eventIds(topic.messages)).toEqual([e1.id, e3.id, e4.id]);
    console.info(`case 1: commit -> on Kafka in ${latencyMs} ms (woken by NOTIFY; poll interval 1 h)`);
  }, 240_000);

  it('reconnects its LISTEN connection when PostgreSQL drops it, and is woken by NOTIFY again', async () => {
    const topic = await collect(TOPICS.audit, 'listen');
    const { logger, entries } = memoryLogger();
    const relay = new OutboxRelay({ dataSource, kafka, topicPrefix: PREFIX, pollIntervalMs: 30_000, logger });
    cleanups.push(() => relay.stop());
    await relay.start();
    const listeners = () => dataSource.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'remote-help-outbox-relay'`, [DB]);
    const [{ pid }] = await listeners();
    await dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
    await waitFor('a new LISTEN connection', async () => {
      const now = await listeners();
      return now.length === 1 && now[0].pid !== pid;
    });
    expect(entries.some((x) => x.level === 'warn' && /LISTEN connection lost/.test(x.msg ?? ''))).toBe(true);
    const e = event('audit.recorded', 'listen-1');
    await dataSource.transaction((m) => writeToOutbox(m, TOPICS.audit, e));
    await waitFor('the event, long before the 30 s poll', () => topic.messages.length >= 1, 5_000);
    expect(eventIds(topic.messages)).toEqual([e.id]);
    await relay.stop();
  });

  it('is woken by a writer of this process that did not notify; finding the lock held by another instance, it notifies once', async () => {
    const audit = await collect(TOPICS.audit, 'local-wake');
    const topic = {
      get messages() {
        return audit.messages.filter((m) => m.key?.toString().startsWith('local-'));
      },
    }; // this test's only
    const { logger } = memoryLogger();
    const relay = new OutboxRelay({ dataSource, kafka, topicPrefix: PREFIX, pollIntervalMs: 30_000, logger });
    cleanups.push(() => relay.stop());
    expect(hasLocalOutboxRelay(dataSource)).toBe(false);
    expect(wakeLocalOutboxRelays(dataSource)).toBe(false);
    await relay.start();
    expect(hasLocalOutboxRelay(dataSource)).toBe(true);
    await sleep(500); // its catch-up batch at start is over
    // Rows written without pg_notify (as session-service writes them when its relay runs here).
    const addSilently = (e: EventEnvelope) => dataSource.query(`INSERT INTO outbox (event_id, topic, key, payload) VALUES ($1, $2, $3, $4::jsonb)`, [e.id, TOPICS.audit, e.subject, JSON.stringify(e)]);
    const e1 = event('audit.recorded', 'local-1');
    await addSilently(e1);
    await sleep(500);
    expect(topic.messages).toHaveLength(0); // nobody notified, and the next poll is 30 s away
    expect(wakeLocalOutboxRelays(dataSource)).toBe(true);
    await waitFor('e1 on Kafka', () => topic.messages.length >= 1, 5_000);

    // Another instance's relay holds the lock (mid-batch): the relay woken here cannot publish,
    // so it notifies (once: its own wake-up by that notification sends none).
    const holder = new Client({ ...PG, database: DB });
    const listener = new Client({ ...PG, database: DB });
    await holder.connect();
    await listener.connect();
    try {
      const heard: string[] = [];
      listener.on('notification', (n) => heard.push(n.channel));
      await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
      await holder.query(`BEGIN; SELECT pg_advisory_xact_lock(${RELAY_LOCK_KEY}::bigint)`);
      const e2 = event('audit.recorded', 'local-2');
      await addSilently(e2);
      wakeLocalOutboxRelays(dataSource);
      await waitFor('a notification for the lock holder', () => heard.length >= 1, 5_000);
      await sleep(500);
      expect(heard).toEqual([OUTBOX_CHANNEL]);
      expect(topic.messages).toHaveLength(1);
      await holder.query('COMMIT');
      wakeLocalOutboxRelays(dataSource);
      await waitFor('e2 on Kafka once the lock is free', () => topic.messages.length >= 2, 5_000);
      expect(eventIds(topic.messages)).toEqual([e1.id, e2.id]);
    } finally {
      await holder.end();
      await listener.end();
    }
    await relay.stop();
    expect(hasLocalOutboxRelay(dataSource)).toBe(false);
  });

  it('(2) keeps an event while Kafka is unreachable, counts the attempts, and publishes it once Kafka is back', async () => {
    const proxy = await startBrokerProxy(brokers[0]);
    cleanups.push(proxy.close);
    // Every broker connection of this client goes through the proxy (the broker advertises 9092).
    const proxied = proxy.kafka(`events-it-${RUN}-proxied`);
    // kafkajs logs every refused connection at error level; the relay's own log is checked below.
    proxied.logger().setLogLevel(logLevel.NOTHING);
    const topic = await collect(TOPICS.rbac, 'case2');
    const { logger, entries } = memoryLogger();
    const relay = new OutboxRelay({ dataSource, kafka: proxied, topicPrefix: PREFIX, pollIntervalMs: 100, logger });
    cleanups.push(() => relay.stop());
    await relay.start();

    // Connected first, so the cut also breaks established connections.
    const before = event('rbac.role-created', 'role-1');
    await dataSource.transaction((m) => writeToOutbox(m, TOPICS.rbac, before));
    await waitFor('the first event through the proxy', () => topic.messages.length >= 1, 10_000);
    // And acknowledged to the relay (its row deleted): a cut between the broker's write and its
    // answer would have the relay publish it again after the outage (at-least-once, by design).
    await waitFor('the first event acknowledged and its row deleted', async () => (await dataSource.query('SELECT 1 FROM outbox WHERE event_id = $1', [before.id])).length === 0, 10_000);

    await proxy.cut();
    const tCut = Date.now();
    const e = event('rbac.role-assigned', 'role-1', { user: 'u-1' });
    await dataSource.transaction((m) => writeToOutbox(m, TOPICS.rbac, e));
    const failed = await waitFor(
      'two failed attempts recorded on the row',
      async () => {
        const [row] = await dataSource.query('SELECT attempts, last_error, sent_at FROM outbox WHERE event_id = $1', [e.id]);
        return row.attempts >= 2 ? row : undefined;
      },
      30_000,
    );
    expect(failed.sent_at).toBeNull();
    expect(failed.last_error).toEqual(expect.any(String));
    expect(entries.some((x) => x.level === 'warn' && /publish failed/.test(x.msg ?? ''))).toBe(true);
    expect(eventIds(topic.messages)).toEqual([before.id]);
    const outageMs = Date.now() - tCut;

    await proxy.restore();
    const tRestore = Date.now();
    await waitFor('the event once Kafka is reachable again', () => topic.messages.length >= 2, 30_000);
    const recoveryMs = Date.now() - tRestore;
    await sleep(700);
    expect(eventIds(topic.messages)).toEqual([before.id, e.id]);

    expect(await dataSource.query('SELECT 1 FROM outbox WHERE event_id = $1', [e.id])).toHaveLength(0);
    await relay.stop();
    console.info(`case 2: ${failed.attempts} failed attempts in ${outageMs} ms of outage (last_error: ${failed.last_error}); ` + `published ${recoveryMs} ms after the proxy came back`);
  });

  it('keeps per-aggregate order with two relays on the same database', async () => {
    const topic = await collect(TOPICS.session, 'order');
    const relays = [1, 2].map(() => new OutboxRelay({ dataSource, kafka, topicPrefix: PREFIX, pollIntervalMs: 20, batchSize: 3, logger: memoryLogger().logger }));
    for (const r of relays) {
      cleanups.push(() => r.stop());
      await r.start();
    }
    const subjects = ['s-1', 's-2', 's-3', 's-4', 's-5'];
    const written: EventEnvelope[] = [];
    await Promise.all(
      subjects.map(async (subject) => {
        for (let seq = 0; seq < 10; seq++) {
          const e = event('session.updated', subject, { seq });
          written.push(e);
          await dataSource.transaction((m) => writeToOutbox(m, TOPICS.session, e));
        }
      }),
    );
    await waitFor('50 session events', () => topic.messages.length >= 50, 20_000);
    await sleep(500);
    for (const r of relays) await r.stop();

    expect(topic.messages).toHaveLength(50);
    expect(new Set(eventIds(topic.messages)).size).toBe(50);
    for (const subject of subjects) {
      const mine = topic.messages.filter((m) => m.key!.toString() === subject);
      expect(mine.map((m) => JSON.parse(m.value!.toString()).data.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(new Set(mine.map((m) => m.partition)).size).toBe(1);
    }
    expect(new Set(topic.messages.map((m) => m.partition)).size).toBeGreaterThan(1);
  });
  it('vacuums the outbox every vacuumEveryRows published rows (and never with 0)', async () => {
    const vacuums = async () => Number((await dataSource.query(`SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'outbox'`))[0].vacuum_count);
    const publish = async (vacuumEveryRows: number, n: number) => {
      const topic = await collect(TOPICS.rbac, `vacuum-${vacuumEveryRows}`);
      const relay = new OutboxRelay({ dataSource, kafka, topicPrefix: PREFIX, pollIntervalMs: 20, batchSize: 4, vacuumEveryRows, logger: memoryLogger().logger });
      cleanups.push(() => relay.stop());
      const events = Array.from({ length: n }, (_, i) => event('rbac.vacuum-test', `v-${vacuumEveryRows}`, { i }));
      for (const e of events) await dataSource.transaction((m) => writeToOutbox(m, TOPICS.rbac, e));
      await relay.start();
      await waitFor(`${n} events published`, () => events.every((e) => eventIds(topic.messages).includes(e.id)), 20_000);
      await relay.stop();
    };
    const before = await vacuums();
    await publish(0, 12);
    expect(await vacuums()).toBe(before);
    await publish(5, 12); // batches of 4: a vacuum once 5 rows went, the count starts again
    expect(await vacuums()).toBeGreaterThanOrEqual(before + 1);
    expect(Number((await dataSource.query('SELECT count(*)::int AS n FROM outbox'))[0].n)).toBe(0);
  });
});

describe('idempotent consumer', () => {
  it('(3) retries a failing handler on the same message and applies the event exactly once', async () => {
    const calls: string[] = [];
    const topics: string[] = []; // judged after the run: a throw in here is a handler failure to the consumer
    let failuresLeft = 1;
    const { logs } = await startConsumer('case3', [TOPICS.rbac], async (e, manager, meta) => {
      if (e.type !== 'rbac.permission-granted') return;
      calls.push(e.id);
      topics.push(meta.topic);
      await bump(manager, `case3:${e.id}`); // rolled back when we throw below
      if (failuresLeft-- > 0) throw new Error('database hiccup');
    });
    const e = event('rbac.permission-granted', 'role-9');
    await produceRaw(TOPICS.rbac, e.subject, JSON.stringify(e));

    await waitFor('the event to be recorded', async () => (await processedRows(`it-${RUN}-case3`, e.id)) === 1, 20_000);
    await sleep(500);
    expect(calls).toEqual([e.id, e.id]);
    expect(topics).toEqual([TOPICS.rbac, TOPICS.rbac]); // the base name, without the run's prefix
    expect(await counter(`case3:${e.id}`)).toBe(1);
    expect(await processedRows(`it-${RUN}-case3`, e.id)).toBe(1);
    expect(logs.filter((l) => l.level === 'warn' && l.o.eventId === e.id)).toHaveLength(1);
  });

  it('(4) applies an event delivered three times only once', async () => {
    const calls: string[] = [];
    await startConsumer('case4', [TOPICS.session], async (e, manager) => {
      calls.push(e.id);
      await bump(manager, `case4:${e.id}`);
    });
    const e = event('session.started', 'session-42', { agent: 'a-1' });
    const marker = event('session.ended', 'session-42');
    for (let i = 0; i < 3; i++) await produceRaw(TOPICS.session, e.subject, JSON.stringify(e));
    await produceRaw(TOPICS.session, marker.subject, JSON.stringify(marker));

    // The session topic also holds the ordering test's 50 events (6 partitions): 52 distinct events.
    await waitFor('the marker and every other event', () => calls.includes(marker.id) && calls.length >= 52, 20_000);
    await sleep(500);
    expect(calls.filter((id) => id === e.id)).toHaveLength(1);
    expect(await counter(`case4:${e.id}`)).toBe(1);
    expect(await processedRows(`it-${RUN}-case4`, e.id)).toBe(1);
    const [{ n }] = await dataSource.query('SELECT count(*)::int AS n FROM processed_events WHERE consumer = $1', [`it-${RUN}-case4`]);
    expect(n).toBe(52);
    expect(calls).toHaveLength(52);
  });

  it('commits the offsets of applied events on its interval and when it stops, not after every batch', async () => {
    const groupId = `it-${RUN}-commits`;
    const topic = topicName(PREFIX, TOPICS.rbac);
    const admin = kafka.admin();
    await admin.connect();
    const committed = async () => {
      const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return t.partitions.reduce((a, p) => a + Math.max(0, Number(p.offset)), 0);
    };
    const ends = async () => (await admin.fetchTopicOffsets(topic)).reduce((a, p) => a + Number(p.offset), 0);
    try {
      const calls: string[] = [];
      const { logger } = memoryLogger();
      const make = (commitIntervalMs: number) =>
        new IdempotentConsumer({ kafka, dataSource, groupId, topicPrefix: PREFIX, topics: [TOPICS.rbac], handler: async (e) => void calls.push(e.id), fromBeginning: true, logger, commitIntervalMs, parse: anyEvent });
      // A long interval: applied events are not committed batch by batch...
      const slow = make(60_000);
      await slow.start();
      cleanups.push(() => slow.stop());
      for (let i = 0; i < 5; i++) await produceRaw(TOPICS.rbac, `role-${i}`, JSON.stringify(event('rbac.role.created', `role-${i}`)));
      const total = await ends();
      await waitFor('the events applied', () => calls.length >= total, 20_000);
      await sleep(700);
      expect(await committed()).toBe(0);
      // ...but when the consumer stops.
      await slow.stop();
      expect(await committed()).toBe(total);
      // A short interval: committed within it, with nothing else happening.
      const quick = make(200);
      await quick.start();
      cleanups.push(() => quick.stop());
      await produceRaw(TOPICS.rbac, 'role-x', JSON.stringify(event('rbac.role.created', 'role-x')));
      await waitFor('the new event committed', async () => (await committed()) === total + 1, 10_000);
      expect(calls).toHaveLength(total + 1); // nothing delivered twice to the same group
      await quick.stop();
    } finally {
      await admin.disconnect();
    }
  });

  it('with a minBytes far above what arrives, the broker holds the fetch until maxWaitTimeInMs, then a lone event is applied', async () => {
    const applied: string[] = [];
    const { logger } = memoryLogger();
    // On the topic before the consumer joins: with the default minBytes (1) its first fetch would
    // return it at once; with 1 MiB the broker holds that fetch for maxWaitTimeInMs.
    const lone = event('reporting.active-count', 'tenant-1');
    await produceRaw(TOPICS.reporting, lone.subject, JSON.stringify(lone)); // no other test writes to this topic
    const maxWaitTimeInMs = 2_000;
    const consumer = new IdempotentConsumer({
      kafka,
      dataSource,
      groupId: `it-${RUN}-min-bytes`,
      topicPrefix: PREFIX,
      topics: [TOPICS.reporting],
      handler: async (e) => void applied.push(e.id),
      fromBeginning: true,
      logger,
      parse: anyEvent,
      minBytes: 1024 * 1024,
      maxWaitTimeInMs,
    });
    await consumer.start(); // resolves once joined: the first fetch goes out after this
    const joinedAt = Date.now();
    cleanups.push(() => consumer.stop());
    await waitFor('the lone event', () => applied.includes(lone.id), 15_000);
    expect(Date.now() - joinedAt).toBeGreaterThanOrEqual(maxWaitTimeInMs - 500); // held, not returned at once
    expect(applied).toEqual([lone.id]);
  });

  it('(5) sends malformed messages and events that do not fit their contract to the dead-letter topic with the reason, and goes on', async () => {
    const dead = await collect(TOPICS.deadLetter, 'case5');
    const applied: string[] = [];
    await startConsumer(
      'case5',
      [TOPICS.audit],
      async (e, manager) => {
        if (e.subject !== 'audit-1') return; // the LISTEN test's event is on this topic too
        applied.push(e.id);
        await bump(manager, `case5:${e.id}`);
      },
      { catalogue: true },
    );
    const record = (activity: string) => auditEvent({ source: 'events-it', tenantId: CASE5_TENANT, actorId: null, category: 'Role', activity, targetId: 'audit-1', result: 'Success' });
    const good1 = record('first');
    const noSubject = JSON.stringify({ ...record('no subject'), subject: undefined });
    const noActivity = JSON.stringify({ ...record('x'), data: { ...record('x').data, activity: undefined } });
    const good2 = record('second');
    // Same key: one partition, in this order.
    await produceRaw(TOPICS.audit, 'audit-1', JSON.stringify(good1));
    await produceRaw(TOPICS.audit, 'audit-1', '{"id": oops');
    await produceRaw(TOPICS.audit, 'audit-1', noSubject);
    await produceRaw(TOPICS.audit, 'audit-1', null);
    await produceRaw(TOPICS.audit, 'audit-1', noActivity);
    await produceRaw(TOPICS.audit, 'audit-1', JSON.stringify(good2));

    await waitFor('the good message after the bad ones', () => applied.includes(good2.id), 20_000);
    // (the other tests' made-up events on this topic are dead letters here too, under their own keys)
    const deadOfCase = () => dead.messages.filter((m) => m.key?.toString() === 'audit-1');
    await waitFor('four dead letters', () => deadOfCase().length >= 4, 10_000);
    expect(applied).toEqual([good1.id, good2.id]);
    expect(await counter(`case5:${good2.id}`)).toBe(1);

    const deadLetters = deadOfCase();
    const [bad1, bad2, bad3, bad4] = deadLetters;
    expect(header(bad1.headers, 'reason')).toMatch(/^message value is not valid JSON/);
    expect(bad1.value!.toString()).toBe('{"id": oops');
    expect(header(bad2.headers, 'reason')).toBe('missing field "subject"');
    expect(bad2.value!.toString()).toBe(noSubject);
    expect(header(bad3.headers, 'reason')).toBe('message has no value (null)');
    expect(bad3.value).toBeNull();
    expect(header(bad4.headers, 'reason')).toBe('audit.recorded: activity: must be a non-empty text');
    expect(bad4.value!.toString()).toBe(noActivity);
    expect(deadLetters).toHaveLength(4);
    for (const m of deadLetters) {
      expect(header(m.headers, 'source-topic')).toBe(topicName(PREFIX, TOPICS.audit));
      expect(header(m.headers, 'consumer-group')).toBe(`it-${RUN}-case5`);
    }
    const offsets = deadLetters.map((m) => Number(header(m.headers, 'offset')));
    expect(offsets).toEqual([offsets[0], offsets[0] + 1, offsets[0] + 2, offsets[0] + 3]);
    expect(new Set(deadLetters.map((m) => header(m.headers, 'partition'))).size).toBe(1);
  });
});

describe('idempotent consumer: batches', () => {
  /** Events of one key (one partition), sent in one request so that they arrive in one fetch. */
  async function produceRun(base: string, events: EventEnvelope[]) {
    await producer.send({ topic: topicName(PREFIX, base), acks: -1, messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })) });
  }
  const txid = async (m: Parameters<EventHandler>[1]) => (await m.query('SELECT txid_current()::text AS id'))[0].id as string;

  it('(6) applies a run in one transaction with the batch handler, skipping events already applied and a duplicate in the run; a redelivered run changes nothing', async () => {
    const events = Array.from({ length: 10 }, (_, i) => event('tenant.batch-six', 'batch-6', { i }));
    // Two of them were applied before (the rest of a batch redelivered after a crash).
    for (const e of events.slice(0, 2)) await dataSource.query(`INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2)`, [`it-${RUN}-case6`, e.id]);
    await produceRun(TOPICS.tenant, [...events.slice(0, 5), events[4], ...events.slice(5)]);

    const single: string[] = [];
    const batches: { ids: string[]; tx: string }[] = [];
    const outOfOrder: string[] = []; // judged after the run: a throw in the batch handler would only send its events one at a time
    const mine = (e: EventEnvelope) => e.subject === 'batch-6';
    await startConsumer(
      'case6',
      [TOPICS.tenant],
      withBatchHandler(
        async (e, m) => {
          if (!mine(e)) return;
          single.push(e.id);
          await bump(m, `case6:${e.id}`);
        },
        async (items: BatchItem[], m) => {
          const ours = items.filter((it) => mine(it.event));
          if (ours.length) batches.push({ ids: ours.map((it) => it.event.id), tx: await txid(m) });
          for (const it of ours) await bump(m, `case6:${it.event.id}`);
          // Each partition's events in their order (a batch may span the partitions of a fetch).
          const same = (k: number, j: number) => items[j].meta.partition === items[k].meta.partition && items[j].meta.topic === items[k].meta.topic;
          items.forEach((it, k) =>
            items.slice(0, k).forEach((before, j) => {
              if (same(k, j) && BigInt(before.meta.offset) >= BigInt(it.meta.offset)) outOfOrder.push(`${it.meta.topic}/${it.meta.partition}: offset ${before.meta.offset} before ${it.meta.offset}`);
            }),
          );
        },
      ),
    );
    await waitFor('the new events', async () => (await counter(`case6:${events[9].id}`)) === 1);
    const applied = [...batches.flatMap((b) => b.ids), ...single];
    expect(applied.sort()).toEqual(
      events
        .slice(2)
        .map((e) => e.id)
        .sort(),
    );
    expect(batches.length).toBeGreaterThan(0);
    for (const e of events.slice(2)) expect(await counter(`case6:${e.id}`)).toBe(1);
    for (const e of events.slice(0, 2)) expect(await counter(`case6:${e.id}`)).toBe(0);
    for (const e of events) expect(await processedRows(`it-${RUN}-case6`, e.id)).toBe(1);

    // The whole run delivered again, then a marker: only the marker is applied.
    const marker = event('tenant.batch-six', 'batch-6', { marker: true });
    await produceRun(TOPICS.tenant, [...events, marker]);
    await waitFor('the marker', async () => (await counter(`case6:${marker.id}`)) === 1);
    for (const e of events.slice(2)) expect(await counter(`case6:${e.id}`)).toBe(1);
    expect([...batches.flatMap((b) => b.ids), ...single].filter((id) => id !== marker.id)).toHaveLength(8);
    expect(outOfOrder).toEqual([]);
  });

  it('(7) a batch handler that fails rolls its batch back; the events are then applied one at a time, once each', async () => {
    const events = Array.from({ length: 6 }, (_, i) => event('tenant.batch-seven', 'batch-7', { i }));
    await produceRun(TOPICS.tenant, events);
    const single: string[] = [];
    let batchCalls = 0;
    const mine = (e: EventEnvelope) => e.subject === 'batch-7';
    const { logs } = await startConsumer(
      'case7',
      [TOPICS.tenant],
      withBatchHandler(
        async (e, m) => {
          if (!mine(e)) return;
          single.push(e.id);
          await bump(m, `case7:${e.id}`);
        },
        async (items, m) => {
          const ours = items.filter((it) => mine(it.event));
          for (const it of ours) await bump(m, `case7:${it.event.id}`); // rolled back below
          if (ours.length) {
            batchCalls++;
            throw new Error('not in a batch');
          }
        },
      ),
    );
    await waitFor('every event', async () => (await counter(`case7:${events[5].id}`)) === 1);
    await sleep(300);
    expect(batchCalls).toBeGreaterThan(0);
    expect(single).toEqual(events.map((e) => e.id));
    for (const e of events) expect(await counter(`case7:${e.id}`)).toBe(1);
    for (const e of events) expect(await processedRows(`it-${RUN}-case7`, e.id)).toBe(1);
    expect(logs.some((l) => l.level === 'warn' && l.msg === 'batch rolled back; applying its events one at a time')).toBe(true);
  });

  it('(8) a handler failing mid-run: the events before it are committed, it is retried alone, and each event is applied once', async () => {
    const events = Array.from({ length: 8 }, (_, i) => event('tenant.batch-eight', 'batch-8', { i }));
    await produceRun(TOPICS.tenant, events);
    const calls: string[] = [];
    const txOf = new Map<string, string>();
    let failuresLeft = 1;
    const { logs } = await startConsumer('case8', [TOPICS.tenant], async (e, m) => {
      if (e.subject !== 'batch-8') return;
      calls.push(e.id);
      await bump(m, `case8:${e.id}`);
      txOf.set(e.id, await txid(m));
      if (e.id === events[4].id && failuresLeft-- > 0) throw new Error('database hiccup'); // the whole transaction rolls back
    });
    await waitFor('every event', async () => (await counter(`case8:${events[7].id}`)) === 1);
    await sleep(300);
    for (const e of events) expect(await counter(`case8:${e.id}`)).toBe(1);
    for (const e of events) expect(await processedRows(`it-${RUN}-case8`, e.id)).toBe(1);
    // Tried twice: the failing event (and those before it in its first transaction, rolled back with it).
    expect(calls.filter((id) => id === events[4].id)).toHaveLength(2);
    expect(calls.filter((id) => id === events[5].id)).toHaveLength(1);
    // Several events shared a transaction.
    expect(new Set(events.map((e) => txOf.get(e.id))).size).toBeLessThan(events.length);
    expect(logs.filter((l) => l.level === 'warn' && l.o.eventId === events[4].id)).toHaveLength(1);
  });
  it('(9) applies the batches of several partitions of one fetch in one transaction; if that fails, each partition is applied on its own, once', async () => {
    // Keys spread over the topic's partitions, all produced before the consumer starts: its
    // first fetch holds a batch of each partition.
    const events = Array.from({ length: 12 }, (_, i) => [event('tenant.batch-nine', `batch-9-${i}`, { n: 1 }), event('tenant.batch-nine', `batch-9-${i}`, { n: 2 })]).flat();
    await produceRun(TOPICS.tenant, events);
    const mine = (e: EventEnvelope) => e.type === 'tenant.batch-nine';
    const calls: { partitions: Set<number>; tx: string; ids: string[]; subjects: string[] }[] = [];
    let failuresLeft = 1;
    const { logs } = await startConsumer(
      'case9',
      [TOPICS.tenant],
      withBatchHandler(
        async (e, m) => {
          if (mine(e)) await bump(m, `case9:${e.id}`);
        },
        async (items, m) => {
          const ours = items.filter((it) => mine(it.event));
          if (ours.length === 0) return;
          // Recorded here, judged after the run: an expect thrown in here would be taken by the
          // consumer for a handler failure (and answered by its fallback), not fail the test.
          calls.push({
            partitions: new Set(ours.map((it) => it.meta.partition)),
            tx: await txid(m),
            ids: ours.map((it) => it.event.id),
            subjects: ours.map((it) => `${it.event.subject}#${(it.event.data as { n: number }).n}`),
          });
          for (const it of ours) await bump(m, `case9:${it.event.id}`);
          if (ours.length === events.length && failuresLeft-- > 0) throw new Error('not this time'); // rolls the whole gathered batch back
        },
      ),
    );
    await waitFor('every event', async () => {
      for (const e of events) if ((await counter(`case9:${e.id}`)) !== 1) return false;
      return true;
    });
    await sleep(300);
    // The first call had every partition's events in one transaction (and was rolled back) ...
    expect(calls[0].ids).toHaveLength(events.length);
    expect(calls[0].partitions.size).toBeGreaterThan(1);
    expect(logs.some((l) => l.level === 'warn' && l.msg === "batch rolled back; applying each partition's events on its own")).toBe(true);
    // ... then each partition's run was applied on its own: every event once.
    expect(calls.slice(1).every((c) => c.partitions.size === 1)).toBe(true);
    expect(
      calls
        .slice(1)
        .flatMap((c) => c.ids)
        .sort(),
    ).toEqual(events.map((e) => e.id).sort());
    for (const e of events) expect(await counter(`case9:${e.id}`)).toBe(1);
    for (const e of events) expect(await processedRows(`it-${RUN}-case9`, e.id)).toBe(1);
    // In every call, first try and fallback alike, each key's events came in their order (the
    // first call held all of them: both of every key).
    for (const c of calls) {
      const keys = [...new Set(c.subjects.map((s) => s.split('#')[0]))];
      for (const key of keys) {
        const seen = c.subjects.filter((s) => s.startsWith(`${key}#`));
        expect({ key, seen }).toEqual({ key, seen: [`${key}#1`, `${key}#2`].filter((s) => seen.includes(s)) });
      }
    }
  });
});

describe('housekeeping', () => {
  it('purges old processed_events and old sent outbox rows only', async () => {
    const old = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    const ids = [event('x.y', 'a').id, event('x.y', 'b').id];
    await dataSource.query(`INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ('purge', $1, $3), ('purge', $2, now())`, [...ids, old]);
    const cutoff = new Date(Date.now() - 30 * 24 * 3600 * 1000);
    expect(await purgeProcessedEvents(dataSource, cutoff)).toBe(1);
    expect(await processedRows('purge', ids[0])).toBe(0);
    expect(await processedRows('purge', ids[1])).toBe(1);

    await dataSource.query(`UPDATE outbox SET sent_at = $1 WHERE sent_at IS NOT NULL`, [old]);
    const pending = event('audit.recorded', 'p-1');
    await dataSource.transaction((m) => writeToOutbox(m, TOPICS.audit, pending));
    const [{ sent }] = await dataSource.query('SELECT count(*)::int AS sent FROM outbox WHERE sent_at IS NOT NULL');
    expect(await purgeSentOutbox(dataSource, cutoff)).toBe(sent);
    const left = await dataSource.query('SELECT event_id FROM outbox');
    expect(left).toEqual([{ event_id: pending.id }]);
  });
});
