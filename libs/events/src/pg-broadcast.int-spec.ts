// Messages between instances of a service through PostgreSQL NOTIFY (PgBroadcast), against the
// real PostgreSQL: two instances, each with its own connection pool and LISTEN connection, as two
// replicas of session-service have (chat between replicas goes this way).
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PgBroadcast } from './pg-broadcast';
import { eventsTestDatabase, memoryLogger, waitFor } from './testing';

const DB = `rh_events_broadcast_it_${randomBytes(4).toString('hex')}`;
let first: DataSource;
let second: DataSource;
let drop: () => Promise<void> = async () => undefined;
const stops: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  ({ dataSource: first, drop } = await eventsTestDatabase(DB));
  second = new DataSource(first.options);
  await second.initialize();
});

afterAll(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  if (second?.isInitialized) await second.destroy();
  await drop();
});

async function instance(dataSource: DataSource, channel: string) {
  const got: { text: string; n: number }[] = [];
  const { logger, entries } = memoryLogger();
  const b = new PgBroadcast<{ text: string; n: number }>({ dataSource, channel, onMessage: (m) => got.push(m), log: logger });
  await b.start();
  stops.push(() => b.stop());
  return { b, got, entries };
}

it('a message published by one instance reaches every instance, this one included, whole and in order, however long', async () => {
  const a = await instance(first, 'broadcast_it_one');
  const b = await instance(second, 'broadcast_it_one');
  // 4,000 characters of four bytes each (16,000 bytes: over NOTIFY's 8,000-byte limit) and short ones between.
  const long = '😀'.repeat(4000);
  const sent = [
    { text: 'hello', n: 1 },
    { text: long, n: 2 },
    { text: 'é€"\\\n', n: 3 },
    { text: `${'x'.repeat(7000)}😀`, n: 4 },
  ];
  for (const m of sent) await a.b.publish(m);
  await b.b.publish({ text: 'from the second', n: 5 });
  for (const inst of [a, b]) {
    await waitFor('all five messages', () => inst.got.length >= 5, 20_000);
    expect(inst.got).toEqual([...sent, { text: 'from the second', n: 5 }]);
  }
  expect([...a.entries, ...b.entries].filter((e) => e.level !== 'info')).toEqual([]);
});

it('an instance on another channel hears nothing, and a stopped one no longer hears', async () => {
  const a = await instance(first, 'broadcast_it_two');
  const other = await instance(second, 'broadcast_it_other');
  const late = await instance(second, 'broadcast_it_two');
  await late.b.stop();
  await a.b.publish({ text: 'one', n: 1 });
  await waitFor('the message back at the sender', () => a.got.length === 1);
  // The sender's own copy came back through PostgreSQL, so the others' would have arrived too.
  await new Promise((r) => setTimeout(r, 500));
  expect(other.got).toEqual([]);
  expect(late.got).toEqual([]);
});

it('refuses a channel that is not a plain SQL identifier', () => {
  expect(() => new PgBroadcast({ dataSource: first, channel: 'chat; DROP TABLE x', onMessage: () => undefined, log: memoryLogger().logger })).toThrow(/channel/);
});
