import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from './support/client';

/** A service started with a bad configuration stops at once with one line naming the variable. */
describe('configuration is validated at start-up', () => {
  const start = (service: string, env: Record<string, string>) =>
    spawnSync(process.execPath, [path.join(ROOT, 'apps', service, 'dist', 'main.js')], { encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH!, ...env } });

  it.each([
    ['tenant-service', { PORT: 'eighty' }, /^tenant-service: configuration error: PORT: must be an integer, got "eighty"$/],
    ['rbac-service', { DATABASE_URL: 'mysql://x/y' }, /^rbac-service: configuration error: DATABASE_URL: must be a postgres or postgresql URL/],
    ['session-service', { KAFKA_BROKERS: 'localhost' }, /^session-service: configuration error: KAFKA_BROKERS: "localhost" is not host:port$/],
    ['reporting-service', { INTERNAL_JWT_PUBLIC_KEY_FILE: '/nonexistent/key.pem' }, /^reporting-service: configuration error: INTERNAL_JWT_PUBLIC_KEY_FILE: cannot read "\/nonexistent\/key.pem"/],
    ['gateway', { TENANT_SERVICE_URL: 'not a url' }, /^gateway: configuration error: TENANT_SERVICE_URL: must be a URL, got "not a url"$/],
    ['session-service', { PORT: '4555', METRICS_PORT: '4555' }, /^session-service: configuration error: METRICS_PORT: must differ from PORT \(4555\): metrics are never served on the public port$/],
    ['gateway', { METRICS_PORT: 'none' }, /^gateway: configuration error: METRICS_PORT: must be an integer, got "none"$/],
    ['gateway', { PORT: '4556', METRICS_PORT: '4556' }, /^gateway: configuration error: METRICS_PORT: must differ from PORT \(4556\)/],
    ['gateway', { NODE_ENV: 'staging' }, /^gateway: configuration error: NODE_ENV: must be one of development, production, test, got "staging"$/],
    ['rbac-service', { SHUTDOWN_GRACE_SECONDS: '10', SHUTDOWN_DRAIN_SECONDS: '10' }, /^rbac-service: configuration error: SHUTDOWN_DRAIN_SECONDS: must be less than SHUTDOWN_GRACE_SECONDS \(10\), got 10$/],
    ['gateway', { SHUTDOWN_GRACE_SECONDS: '0' }, /^gateway: configuration error: SHUTDOWN_GRACE_SECONDS: must be between 1 and 3600, got 0$/],
    ['gateway', { SHUTDOWN_DRAIN_SECONDS: '40' }, /^gateway: configuration error: SHUTDOWN_DRAIN_SECONDS: must be less than SHUTDOWN_GRACE_SECONDS \(30\), got 40$/],
    ['gateway', { RATE_LIMIT_SYNC_MS: '5' }, /^gateway: configuration error: RATE_LIMIT_SYNC_MS: must be between 20 and 60000, got 5$/],
  ])('%s with %j', (service, env, message) => {
    const r = start(service, env as Record<string, string>);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});
