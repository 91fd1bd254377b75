import type { DataSource } from 'typeorm';

/** The outbox's unsent events and the age of the oldest (0 when there is none), for the metrics. */
export async function readOutboxBacklog(dataSource: DataSource): Promise<{ events: number; oldestAgeSeconds: number }> {
  const [row] = (await dataSource.query(`SELECT count(*)::int AS events, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS age FROM outbox WHERE sent_at IS NULL`)) as { events: number; age: number }[];
  return { events: row.events, oldestAgeSeconds: Math.max(0, row.age) };
}
