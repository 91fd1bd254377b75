import type { EntityManager } from 'typeorm';
import { validateEnvelope, type EventEnvelope } from './event-envelope';
import { activeTraceContextJson } from './trace-context';
import { isKnownTopic } from './topics';

/** The PostgreSQL channel on which {@link writeToOutbox} wakes the relay (delivered at commit). */
export const OUTBOX_CHANNEL = 'remote_help_outbox';

const ROWS_PER_INSERT = 500;

/**
 * Adds events to the outbox inside the caller's transaction: they are published if and only if
 * that transaction commits. `topic` is a base name from TOPICS (without prefix). Also sends
 * `pg_notify('remote_help_outbox', '')`, which PostgreSQL delivers at commit, so a relay wakes
 * right away instead of at its next poll; rows and wake-up go in one statement. Each row keeps
 * the trace context of the active span (none when tracing is off), which the relay's publish
 * continues.
 *
 * @throws if `manager` is not inside a transaction (use `dataSource.transaction(async (m) => ...)`),
 * if `topic` is not a known base topic, or if an event is not a valid envelope (EnvelopeError).
 */
export async function writeToOutbox(manager: EntityManager, topic: string, event: EventEnvelope | EventEnvelope[]): Promise<void> {
  await writeOutboxRows(
    manager,
    (Array.isArray(event) ? event : [event]).map((e) => ({ topic, event: e })),
  );
}

/**
 * {@link writeToOutbox} for events of several topics at once (e.g. a change's own event and its
 * audit event): the rows in the order given (the relay publishes in row order), in one statement
 * with the relay's wake-up (up to 500 rows; more take one statement per 500).
 */
export async function writeOutboxRows(manager: EntityManager, rows: { topic: string; event: EventEnvelope }[]): Promise<void> {
  for (const { topic } of rows) {
    if (!isKnownTopic(topic)) {
      throw new TypeError(`writeToOutbox: unknown topic "${topic}"; pass a base name from TOPICS (e.g. TOPICS.tenant), without prefix`);
    }
  }
  const qr = manager.queryRunner;
  if (!qr || !qr.isTransactionActive) {
    throw new Error('writeToOutbox must run inside the transaction of the business change: dataSource.transaction(async (manager) => { ...; await writeToOutbox(manager, topic, event) })');
  }
  const valid = rows.map(({ topic, event }) => ({ topic, event: validateEnvelope(event) }));
  const traceContext = activeTraceContextJson();
  for (let i = 0; i < valid.length; i += ROWS_PER_INSERT) {
    const chunk = valid.slice(i, i + ROWS_PER_INSERT);
    const last = i + ROWS_PER_INSERT >= valid.length;
    const params: unknown[] = last ? [OUTBOX_CHANNEL] : [];
    const values = chunk.map(({ topic, event: e }) => {
      params.push(e.id, topic, e.subject, JSON.stringify(e), traceContext);
      const n = params.length;
      return `($${n - 4}::uuid, $${n - 3}, $${n - 2}, $${n - 1}::jsonb, $${n}::jsonb)`;
    });
    const insert = `INSERT INTO outbox (event_id, topic, key, payload, trace_context) VALUES ${values.join(', ')}`;
    // The last statement also wakes the relay (pg_notify is delivered at commit).
    await manager.query(last ? `WITH added AS (${insert} RETURNING 1) SELECT pg_notify($1, '') FROM (SELECT count(*) FROM added) AS n` : insert, params);
  }
}
