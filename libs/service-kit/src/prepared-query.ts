import type { DataSource } from 'typeorm';

/** A result row. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's rows are untyped: each repository maps the columns its own statement selects.
export type QueryRow = Record<string, any>;

/** The pg pool under TypeORM's PostgreSQL driver (absent with another driver). */
interface PgPool {
  query(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: QueryRow[] }>;
}

/** The rows of a TypeORM query: it returns `[rows, rowCount]` for UPDATE and DELETE, the rows otherwise. */
export function rowsOf(result: unknown): QueryRow[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0];
  return result as QueryRow[];
}

/**
 * Runs one of a service's fixed statements as a named prepared statement on the pool under
 * TypeORM: PostgreSQL parses and plans it once per connection instead of on every call (for
 * multi-subquery statements planning costs more than running), and the call skips TypeORM's
 * query runner (one pool checkout, one round trip). Outside a transaction only: a single
 * statement is a transaction of its own. `name` must be unique per statement text.
 */
export async function preparedQuery(dataSource: DataSource, name: string, text: string, values: unknown[]): Promise<QueryRow[]> {
  const pool = (dataSource.driver as unknown as { master?: PgPool }).master;
  if (!pool || typeof pool.query !== 'function') return rowsOf(await dataSource.query(text, values));
  return (await pool.query({ name, text, values })).rows;
}
