import { Injectable } from '@nestjs/common';
import QueryStream from 'pg-query-stream';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** Rows read through a server-side cursor, a batch at a time. */
export interface RowStream<T> {
  rows: AsyncIterable<T>;
  /** Gives the connection back to the pool (also after an error or an early stop). */
  close(): void;
}

const BATCH = 500;

/**
 * Streams the rows of a query from a PostgreSQL cursor (pg-query-stream), so that an export of a
 * million rows holds one batch in memory at a time. The query holds one pooled connection until
 * it is closed.
 */
@Injectable()
export class CsvExportStore {
  constructor(private readonly dataSource: DataSource) {}

  async stream<T>(sql: string, params: unknown[]): Promise<RowStream<T>> {
    const [client, release] = (await (this.dataSource.driver as PostgresDriver).obtainMasterConnection()) as [{ query(s: QueryStream): Readable }, (err?: unknown) => void];
    const stream = client.query(new QueryStream(sql, params, { batchSize: BATCH, highWaterMark: BATCH }));
    let released = false;
    const close = () => {
      if (released) return;
      released = true;
      stream.destroy();
      release();
    };
    stream.once('error', close);
    stream.once('end', close);
    return { rows: stream as AsyncIterable<T>, close };
  }
}
