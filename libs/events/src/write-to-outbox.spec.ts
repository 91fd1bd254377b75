import type { EntityManager } from 'typeorm';
import { createEvent, EnvelopeError } from './event-envelope';
import { TOPICS } from './topics';
import { OUTBOX_CHANNEL, writeOutboxRows, writeToOutbox } from './write-to-outbox';

function fakeManager(inTransaction: boolean) {
  const calls: { sql: string; params: unknown[] }[] = [];
  const manager = {
    queryRunner: { isTransactionActive: inTransaction },
    query: async (sql: string, params: unknown[]) => {
      calls.push({ sql, params });
      return [];
    },
  } as unknown as EntityManager;
  return { manager, calls };
}

const event = () => createEvent({ type: 'tenant.created', source: 'tenant-service', tenantId: 't', subject: 't', data: { n: 1 } });

describe('writeToOutbox (without a database)', () => {
  it('inserts one row per event, keyed by subject, and notifies the relay in the same statement', async () => {
    const { manager, calls } = fakeManager(true);
    const [a, b] = [event(), event()];
    await writeToOutbox(manager, TOPICS.tenant, [a, b]);
    expect(calls).toHaveLength(1);
    expect(calls[0].sql).toBe(
      "WITH added AS (INSERT INTO outbox (event_id, topic, key, payload, trace_context) VALUES ($2::uuid, $3, $4, $5::jsonb, $6::jsonb), ($7::uuid, $8, $9, $10::jsonb, $11::jsonb) RETURNING 1) SELECT pg_notify($1, '') FROM (SELECT count(*) FROM added) AS n",
    );
    // No span is active (tracing is off here): the rows keep no trace context.
    expect(calls[0].params).toEqual([OUTBOX_CHANNEL, a.id, TOPICS.tenant, 't', JSON.stringify(a), null, b.id, TOPICS.tenant, 't', JSON.stringify(b), null]);
  });

  it('writes events of several topics in their order in one statement', async () => {
    const { manager, calls } = fakeManager(true);
    const [a, b] = [event(), event()];
    await writeOutboxRows(manager, [
      { topic: TOPICS.session, event: a },
      { topic: TOPICS.audit, event: b },
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0].params).toEqual([OUTBOX_CHANNEL, a.id, TOPICS.session, 't', JSON.stringify(a), null, b.id, TOPICS.audit, 't', JSON.stringify(b), null]);
  });

  it('takes one statement per 500 rows, and only the last one notifies', async () => {
    const { manager, calls } = fakeManager(true);
    await writeToOutbox(manager, TOPICS.tenant, Array.from({ length: 1001 }, event));
    expect(calls.map((c) => [c.sql.startsWith('WITH added'), c.params.length])).toEqual([
      [false, 2500],
      [false, 2500],
      [true, 6],
    ]);
  });

  it('writes nothing for no events', async () => {
    const { manager, calls } = fakeManager(true);
    await writeToOutbox(manager, TOPICS.tenant, []);
    expect(calls).toHaveLength(0);
  });

  it('refuses to run outside a transaction', async () => {
    const { manager, calls } = fakeManager(false);
    await expect(writeToOutbox(manager, TOPICS.tenant, event())).rejects.toThrow(/inside the transaction/);
    expect(calls).toHaveLength(0);
  });

  it('refuses unknown or prefixed topics', async () => {
    const { manager } = fakeManager(true);
    await expect(writeToOutbox(manager, 'remote-help.tenants.v1', event())).rejects.toThrow(/unknown topic/);
    await expect(writeToOutbox(manager, `x.${TOPICS.tenant}`, event())).rejects.toThrow(/unknown topic/);
  });

  it('refuses an invalid envelope', async () => {
    const { manager } = fakeManager(true);
    await expect(writeToOutbox(manager, TOPICS.tenant, { ...event(), id: 'nope' })).rejects.toBeInstanceOf(EnvelopeError);
  });
});
