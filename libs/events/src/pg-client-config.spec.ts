import type { DataSource } from 'typeorm';
import { pgClientConfigFrom } from './pg-client-config';

const ds = (options: object) => ({ options }) as unknown as DataSource;

describe('pgClientConfigFrom', () => {
  it('copies the credentials TypeORM would use', () => {
    expect(pgClientConfigFrom(ds({ type: 'postgres', host: 'db', port: 5433, username: 'u', password: 'p', database: 'd', ssl: false, extra: { keepAlive: true } }), 'app')).toEqual({
      host: 'db',
      port: 5433,
      user: 'u',
      password: 'p',
      database: 'd',
      ssl: false,
      application_name: 'app',
      keepAlive: true,
    });
  });

  it('passes a URL through as connectionString', () => {
    expect(pgClientConfigFrom(ds({ type: 'postgres', url: 'postgres://u@h:1/d' }), 'app')).toEqual({
      connectionString: 'postgres://u@h:1/d',
      application_name: 'app',
    });
  });

  it('uses the master of a replication set', () => {
    const config = pgClientConfigFrom(ds({ type: 'postgres', replication: { master: { host: 'primary', database: 'd' }, slaves: [{ host: 'replica' }] } }), 'app');
    expect(config).toMatchObject({ host: 'primary', database: 'd' });
  });

  it('refuses other databases', () => {
    expect(() => pgClientConfigFrom(ds({ type: 'mysql' }), 'app')).toThrow(/needs a postgres DataSource/);
  });
});
