import type { DataSource } from 'typeorm';

/**
 * Deletes `processed_events` rows older than `olderThan`; returns how many were deleted.
 * Keep them at least as long as Kafka may redeliver an event (topic retention), or a very late
 * redelivery would be applied again.
 */
export async function purgeProcessedEvents(dataSource: DataSource, olderThan: Date): Promise<number> {
  const rows: unknown[] = await dataSource.query('WITH deleted AS (DELETE FROM processed_events WHERE processed_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM deleted', [olderThan]);
  return (rows[0] as { n: number }).n;
}

/**
 * Deletes outbox rows that were published before `olderThan` (unsent rows are never touched);
 * returns how many were deleted.
 */
export async function purgeSentOutbox(dataSource: DataSource, olderThan: Date): Promise<number> {
  const rows: unknown[] = await dataSource.query('WITH deleted AS (DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM deleted', [olderThan]);
  return (rows[0] as { n: number }).n;
}
