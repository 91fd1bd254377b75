import type { EntityManager } from 'typeorm';
import { validateEnvelope, type EventEnvelope } from './event-envelope';
import { isKnownTopic } from './topics';

/** The PostgreSQL channel on which {@link writeToOutbox} wakes the relay (delivered at commit). */
export const OUTBOX_CHANNEL = 'remote_help_outbox';

const ROWS_PER_INSERT = 500;

/**
 * Adds events to the outbox inside the caller's transaction: they are published if and only if
 * that transaction commits. `topic` is a base name from TOPICS (without prefix). Also sends
 * `pg_notify('remote_help_outbox', '')`, which PostgreSQL delivers at commit, so a relay wakes
 * right away instead of at its next poll.
 *
 * @throws if `manager` is not inside a transaction (use `dataSource.transaction(async (m) => ...)`),
 * if `topic` is not a known base topic, or if an event is not a valid envelope (EnvelopeError).
 */
export async function writeToOutbox(manager: EntityManager, topic: string, event: EventEnvelope | EventEnvelope[]): Promise<void> {
  if (!isKnownTopic(topic)) {
    throw new TypeError(`writeToOutbox: unknown topic "${topic}"; pass a base name from TOPICS (e.g. TOPICS.tenant), without prefix`);
  }
  const qr = manager.queryRunner;
  if (!qr || !qr.isTransactionActive) {
    throw new Error(
      'writeToOutbox must run inside the transaction of the business change: dataSource.transaction(async (manager) => { ...; await writeToOutbox(manager, topic, event) })',
    );
  }
  const events = (Array.isArray(event) ? event : [event]).map((e) => validateEnvelope(e));
  if (events.length === 0) return;

  for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
    const chunk = events.slice(i, i + ROWS_PER_INSERT);
    const params: unknown[] = [];
    const values = chunk.map((e) => {
      params.push(e.id, topic, e.subject, JSON.stringify(e));
      const n = params.length;
      return `($${n - 3}::uuid, $${n - 2}, $${n - 1}, $${n}::jsonb)`;
    });
    await manager.query(`INSERT INTO outbox (event_id, topic, key, payload) VALUES ${values.join(', ')}`, params);
  }
  await manager.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, '']);
}
