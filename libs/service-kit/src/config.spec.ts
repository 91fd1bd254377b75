import { ConfigError, loadConfig, parsers } from './config';
import { metricsListen, subgraphConfigSpec } from './service-config';

describe('loadConfig', () => {
  const spec = {
    PORT: { description: 'port', default: '4001', parse: parsers.port },
    NAME: { description: 'a required name', parse: parsers.string },
    BROKERS: { description: 'brokers', default: '127.0.0.1:9092', parse: parsers.brokers },
    ON: { description: 'flag', default: 'false', parse: parsers.bool },
  };

  it('applies defaults and parses values', () => {
    expect(loadConfig(spec, { NAME: 'x', BROKERS: 'a:1, b:2', ON: 'yes' })).toEqual({ PORT: 4001, NAME: 'x', BROKERS: ['a:1', 'b:2'], ON: true });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(spec, { NAME: 'x', PORT: '' }).PORT).toBe(4001);
  });

  it.each([
    [{}, 'NAME: is required (a required name)'],
    [{ NAME: 'x', PORT: '80a' }, 'PORT: must be an integer, got "80a"'],
    [{ NAME: 'x', PORT: '70000' }, 'PORT: must be between 0 and 65535, got 70000'],
    [{ NAME: 'x', BROKERS: 'kafka' }, 'BROKERS: "kafka" is not host:port'],
    [{ NAME: 'x', ON: 'maybe' }, 'ON: must be true or false, got "maybe"'],
  ])('names the variable of a bad configuration %j', (env, message) => {
    expect(() => loadConfig(spec, env)).toThrow(new ConfigError(message.split(':')[0], message.slice(message.indexOf(':') + 2)));
  });

  it('checks URLs and their protocol', () => {
    const url = { U: { description: 'u', parse: parsers.url('postgres') } };
    expect(loadConfig(url, { U: 'postgres://h/db' }).U).toBe('postgres://h/db');
    expect(() => loadConfig(url, { U: 'http://h' })).toThrow('U: must be a postgres URL, got "http:"');
    expect(() => loadConfig(url, { U: 'nope' })).toThrow('U: must be a URL, got "nope"');
  });

  it('gives every subgraph variable a default, so `npm start` needs none', () => {
    const config = loadConfig(subgraphConfigSpec({ port: 4009, database: 'db_x' }), {});
    expect(config.PORT).toBe(4009);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/db_x');
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.METRICS_PORT).toBe(9409);
  });

  it('serves the metrics on METRICS_HOST (default HOST) and METRICS_PORT, never on the public port', () => {
    const spec = subgraphConfigSpec({ port: 4001, database: 'db_x' });
    expect(metricsListen(loadConfig(spec, { HOST: '0.0.0.0' }))).toEqual({ host: '0.0.0.0', port: 9401 });
    expect(metricsListen(loadConfig(spec, { METRICS_HOST: '127.0.0.1', METRICS_PORT: '9100' }))).toEqual({ host: '127.0.0.1', port: 9100 });
    expect(metricsListen(loadConfig(spec, { PORT: '9100', METRICS_PORT: '9100' }))).toBe('METRICS_PORT: must differ from PORT (9100): metrics are never served on the public port');
    expect(() => loadConfig(spec, { METRICS_PORT: '0' })).toThrow('METRICS_PORT: must be between 1 and 65535, got 0');
  });
});
