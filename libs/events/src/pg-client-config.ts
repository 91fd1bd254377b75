import type { ClientConfig } from 'pg';
import type { DataSource } from 'typeorm';

interface PgCredentials {
  url?: string;
  host?: string;
  port?: number;
  username?: string;
  password?: string | (() => string) | (() => Promise<string>);
  database?: string;
  ssl?: ClientConfig['ssl'];
}

/**
 * Connection settings for a plain `pg` Client, taken from a TypeORM postgres DataSource the way
 * TypeORM builds its own pool (URL, credentials, ssl, `extra`; the master of a replication set).
 */
export function pgClientConfigFrom(dataSource: DataSource, applicationName: string): ClientConfig {
  const options = dataSource.options as unknown as PgCredentials & {
    type: string;
    replication?: { master: PgCredentials };
    connectTimeoutMS?: number;
    extra?: Record<string, unknown>;
  };
  if (options.type !== 'postgres') throw new TypeError(`@remote-help/events needs a postgres DataSource, got "${options.type}"`);
  const c = options.replication?.master ?? options;
  const config: ClientConfig = {
    connectionString: c.url,
    host: c.host,
    port: c.port,
    user: c.username,
    password: c.password,
    database: c.database,
    ssl: c.ssl,
    connectionTimeoutMillis: options.connectTimeoutMS,
    application_name: applicationName,
    ...(options.extra ?? {}),
  };
  for (const k of Object.keys(config) as (keyof ClientConfig)[]) if (config[k] === undefined) delete config[k];
  return config;
}
