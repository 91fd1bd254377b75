// A consumer that crashes during a broker outage comes back by itself, against the real broker
// and PostgreSQL. The outage is made on cue by a proxy in front of the broker: it is unreachable
// until the consumer crashes, then, while the "broker" is coming back, FindCoordinator is refused,
// which is what makes kafkajs crash with "Failed to find group coordinator", an error it does
// not restart a consumer from (the consumer then used to stop for good while readiness said ok).
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

import { randomBytes } from 'node:crypto';
import { logLevel, Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { eventsTestDatabase, KAFKA_API, kafkaForTests, memoryLogger, startBrokerProxy, waitFor, type BrokerProxy } from './testing';
import { createEvent, createKafka, ensureTopics, IdempotentConsumer, TOPICS, topicName } from './index';

const RUN = randomBytes(4).toString('hex');
const DB = `rh_events_recovery_it_${RUN}`;
const PREFIX = `recovery-it-${RUN}.`;

jest.setTimeout(120_000);

let brokers: string[];
let stopKafka: () => void = () => undefined;
let dataSource: DataSource;
let kafka: Kafka;
let producer: Producer;
let proxy: BrokerProxy;
const cleanups: (() => Promise<unknown>)[] = [];

async function publish(n: number, label: string): Promise<string[]> {
  const events = Array.from({ length: n }, (_, i) => createEvent({ type: 'session.requested', source: 'recovery-it', tenantId: '00000000-0000-4000-8000-000000000001', subject: `${label}-${i}`, data: { i } }));
  await producer.send({ topic: topicName(PREFIX, TOPICS.session), acks: -1, messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })) });
  return events.map((e) => e.id);
}

/** How many times each event was applied (the handler's own count, in its transaction). */
async function applied(): Promise<Map<string, number>> {
  const rows: { event_id: string; n: number }[] = await dataSource.query('SELECT event_id, n FROM applied_events');
  return new Map(rows.map((r) => [r.event_id, r.n]));
}

let dropDatabase: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  ({ brokers, stop: stopKafka } = await kafkaForTests());
  ({ dataSource, drop: dropDatabase } = await eventsTestDatabase(DB));
  await dataSource.query('CREATE TABLE applied_events (event_id uuid PRIMARY KEY, n int NOT NULL)');
  kafka = createKafka({ brokers, clientId: `recovery-it-${RUN}` });
  await ensureTopics(kafka, PREFIX, [TOPICS.session, TOPICS.deadLetter]);
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  proxy = await startBrokerProxy(brokers[0]);
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await proxy?.close();
  await producer?.disconnect();
  if (kafka) {
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(PREFIX));
    if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(PREFIX));
    if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
    await admin.disconnect();
  }
  await dropDatabase();
  stopKafka();
});

it('a consumer that crashes with an error kafkajs does not restart from is rebuilt, says it is down meanwhile, and applies every event exactly once', async () => {
  const proxied = proxy.kafka(`recovery-it-${RUN}-proxied`);
  // kafkajs logs each refused request at error level; the consumer's own log is checked below.
  proxied.logger().setLogLevel(process.env.RH_DEBUG_LOG ? logLevel.ERROR : logLevel.NOTHING);
  const { logger, entries } = memoryLogger();
  const consumer = new IdempotentConsumer({
    kafka: proxied,
    dataSource,
    groupId: `${PREFIX}reporting`,
    topicPrefix: PREFIX,
    topics: [TOPICS.session],
    fromBeginning: true,
    commitIntervalMs: 100,
    logger,
    parse: (e) => e, // made-up events (outside the event catalogue): this test is about recovery
    handler: async (event, manager) => {
      await manager.query('INSERT INTO applied_events (event_id, n) VALUES ($1, 1) ON CONFLICT (event_id) DO UPDATE SET n = applied_events.n + 1', [event.id]);
    },
  });
  cleanups.push(() => consumer.stop());
  await consumer.start();
  expect(consumer.status()).toMatchObject({ running: true, rebuilds: 0 });

  const before = await publish(20, 'before');
  await waitFor('the first events applied', async () => (await applied()).size === 20, 60_000);

  // The outage: the broker unreachable until the consumer crashes (kafkajs's retries spent) ...
  await proxy.cut();
  const down = await waitFor('the consumer to say it is down', () => (consumer.status().running ? false : consumer.status()), 60_000);
  expect(down.running).toBe(false);
  const during = await publish(20, 'during');
  // ... then reachable, but without a group coordinator for a while, as a restarting broker is.
  proxy.refuse(KAFKA_API.findCoordinator);
  await proxy.restore();
  // It stays down while the coordinator cannot be found (kafkajs has then met the error it does
  // not restart from), and says for how long.
  await waitFor('a FindCoordinator request refused', () => proxy.refusals() >= 1, 60_000);
  expect(consumer.status().running).toBe(false);
  expect(consumer.status().downForMs).toBeGreaterThan(0);
  expect((await applied()).size).toBe(20);

  // The broker is back: the consumer comes back by itself, and nothing is applied twice.
  proxy.refuse();
  await waitFor('every event applied', async () => (await applied()).size === 40, 60_000);
  await waitFor('the consumer running again', () => consumer.status().running, 60_000);
  const counts = await applied();
  for (const id of [...before, ...during]) expect(counts.get(id)).toBe(1);
  expect(consumer.status().rebuilds).toBeGreaterThanOrEqual(1);
  expect(consumer.status().downForMs).toBeUndefined();
  expect(entries.some((e) => e.level === 'error' && e.msg === 'consumer crashed; building a new one to rejoin its group')).toBe(true);
  expect(entries.some((e) => e.level === 'warn' && /Failed to find group coordinator/.test(String(e.o.err)))).toBe(true);
  expect(entries.some((e) => e.level === 'info' && e.msg === 'consumer running again' && Number(e.o.downForMs) > 0)).toBe(true);

  // Events after the outage are applied too.
  const after = await publish(5, 'after');
  await waitFor('the events after the outage', async () => (await applied()).size === 45, 60_000);
  const final = await applied();
  for (const id of after) expect(final.get(id)).toBe(1);
  expect([...final.values()].every((n) => n === 1)).toBe(true);
  await consumer.stop();
});

// A rebuild attempt waits up to joinTimeoutMs for its group join; stop() must not wait for that.
// The join wait here is far longer than the test's timeout, so a stop() stuck in it fails the test.
it('stops while it is being rebuilt, without waiting for the rebuild, and is not rebuilt after that', async () => {
  const proxied = proxy.kafka(`recovery-it-${RUN}-stop`);
  proxied.logger().setLogLevel(process.env.RH_DEBUG_LOG ? logLevel.ERROR : logLevel.NOTHING);
  const { logger, entries } = memoryLogger();
  const consumer = new IdempotentConsumer({ kafka: proxied, dataSource, groupId: `${PREFIX}stop`, topicPrefix: PREFIX, topics: [TOPICS.session], logger, joinTimeoutMs: 600_000, handler: async () => undefined });
  await consumer.start();
  await proxy.cut();
  await waitFor('the consumer to say it is down', () => !consumer.status().running, 60_000);
  proxy.refuse(KAFKA_API.findCoordinator);
  await proxy.restore();
  await waitFor('a rebuild under way', () => entries.some((e) => e.msg === 'consumer crashed; building a new one to rejoin its group'), 60_000);
  await consumer.stop();
  proxy.refuse();
  // No rebuild after stop: it stays down with the broker back.
  const rebuildsAtStop = consumer.status().rebuilds;
  await new Promise((r) => setTimeout(r, 3000));
  expect(consumer.status()).toMatchObject({ running: false, rebuilds: rebuildsAtStop });
}, 60_000);
