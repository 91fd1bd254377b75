import { Client } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { DataSource } from 'typeorm';

/** Creates the database named in `url` when it does not exist yet (connecting to `postgres`). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } catch (e) {
        // 42P04: created by a concurrent start-up meanwhile.
        if ((e as { code?: string }).code !== '42P04' && (e as { code?: string }).code !== '23505') throw e;
      }
    }
  } finally {
    await client.end();
  }
}

/** Drops a database (tests). */
export async function dropDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** A data source's entities and migrations, as TypeORM types them (classes, globs or schemas). */
export type EntityList = NonNullable<DataSourceOptions['entities']>;
export type MigrationList = NonNullable<DataSourceOptions['migrations']>;

export interface ServiceDataSourceOptions {
  url: string;
  entities: EntityList;
  migrations: MigrationList;
  poolSize?: number;
}

/** TypeORM options of a service: migrations only, never `synchronize`. */
export function serviceDataSourceOptions(o: ServiceDataSourceOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: o.url,
    entities: o.entities,
    migrations: o.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    extra: { max: o.poolSize ?? 10 },
  };
}

/** Creates the database if needed, connects and applies pending migrations. */
export async function openServiceDataSource(o: ServiceDataSourceOptions): Promise<DataSource> {
  await ensureDatabase(o.url);
  const ds = new DataSource(serviceDataSourceOptions(o));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
