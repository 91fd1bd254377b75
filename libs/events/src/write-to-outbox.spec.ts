import type { EntityManager } from 'typeorm';
import { createEvent, EnvelopeError } from './event-envelope';
import { TOPICS } from './topics';
import { OUTBOX_CHANNEL, writeToOutbox } from './write-to-outbox';

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
  it('inserts one row per event, keyed by subject, then notifies the relay', async () => {
    const { manager, calls } = fakeManager(true);
    const [a, b] = [event(), event()];
    await writeToOutbox(manager, TOPICS.tenant, [a, b]);
    expect(calls).toHaveLength(2);
    expect(calls[0].sql).toMatch(/^INSERT INTO outbox \(event_id, topic, key, payload\) VALUES \(\$1::uuid, \$2, \$3, \$4::jsonb\), \(\$5::uuid/);
    expect(calls[0].params).toEqual([a.id, TOPICS.tenant, 't', JSON.stringify(a), b.id, TOPICS.tenant, 't', JSON.stringify(b)]);
    expect(calls[1]).toEqual({ sql: 'SELECT pg_notify($1, $2)', params: [OUTBOX_CHANNEL, ''] });
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
