import { DataSource } from 'typeorm';

/** The pg pool under TypeORM's PostgreSQL driver (absent with another driver). */
interface PgPool {
  query(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * Runs one of this service's fixed statements as a named prepared statement on the pool under
 * TypeORM: PostgreSQL parses and plans it once per connection instead of on every call, and
 * the call skips TypeORM's query runner (one pool checkout, one round trip). Outside a
 * transaction only: a single statement is a transaction of its own.
 */
export async function preparedQuery(dataSource: DataSource, name: string, text: string, values: unknown[]): Promise<Record<string, unknown>[]> {
  const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
  if (!pool || typeof pool.query !== 'function') {
    const result = await dataSource.query(text, values);
    // TypeORM answers [rows, rowCount] for UPDATE and DELETE.
    return Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number' ? result[0] : result;
  }
  return (await pool.query({ name, text, values })).rows;
}
