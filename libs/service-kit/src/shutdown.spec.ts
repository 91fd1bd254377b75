import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from './config';
import { GracefulShutdown, shutdownCheck, shutdownConfigSpec } from './shutdown';

const quiet = { info: () => undefined, error: () => undefined };

/** A server whose /slow answers only when `release()` is called. */
async function slowServer(shutdown: GracefulShutdown) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let arrived!: () => void;
  const slowArrived = new Promise<void>((r) => (arrived = r));
  const server = http.createServer((req, res) => {
    if (req.url === '/slow') {
      arrived();
      void released.then(() => res.end('slow done'));
    } else if (req.url === '/stream') {
      // As session-service's chat stream sets it.
      res.setHeader('content-type', 'text/event-stream; charset=utf-8');
      res.flushHeaders();
      res.write(': open\n\n');
    } else res.end('ok');
  });
  shutdown.watch(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, base, release, slowArrived };
}

/** Keep-alive connections, as the gateway's and the services' HTTP clients keep them. */
const agent = new http.Agent({ keepAlive: true });
afterAll(() => agent.destroy());

/** One request: status, `connection` header and body. */
function get(url: string): Promise<{ status: number; connection?: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
      })
      .on('error', reject);
  });
}

describe('shutdown configuration', () => {
  it('defaults to a 30 s grace period and no drain, and refuses a drain as long as the grace period', () => {
    const c = loadConfig(shutdownConfigSpec(), {});
    expect([c.SHUTDOWN_GRACE_SECONDS, c.SHUTDOWN_DRAIN_SECONDS]).toEqual([30, 0]);
    expect(shutdownCheck(c)).toBeUndefined();
    expect(shutdownCheck(loadConfig(shutdownConfigSpec(), { SHUTDOWN_GRACE_SECONDS: '10', SHUTDOWN_DRAIN_SECONDS: '10' }))).toMatch(/^SHUTDOWN_DRAIN_SECONDS: must be less than SHUTDOWN_GRACE_SECONDS \(10\)/);
    expect(() => loadConfig(shutdownConfigSpec(), { SHUTDOWN_GRACE_SECONDS: '0' })).toThrow(/SHUTDOWN_GRACE_SECONDS: must be between 1 and 3600/);
    expect(() => loadConfig(shutdownConfigSpec(), { SHUTDOWN_DRAIN_SECONDS: 'soon' })).toThrow(/SHUTDOWN_DRAIN_SECONDS: must be an integer/);
  });
});

describe('GracefulShutdown', () => {
  it('turns not ready first, lets the request in flight finish, then exits 0', async () => {
    const exits: number[] = [];
    const shutdown = new GracefulShutdown({ graceSeconds: 30, drainSeconds: 0, log: quiet, exit: (c) => exits.push(c) });
    const s = await slowServer(shutdown);
    const slow = get(`${s.base}/slow`);
    await s.slowArrived;
    expect(shutdown.draining).toBe(false);
    expect(shutdown.requestsInFlight()).toBe(1);
    const order: string[] = [];
    const done = shutdown.run(async () => {
      order.push(`stop (draining: ${shutdown.draining})`);
      s.server.close();
      const finished = shutdown.requestsFinished().then(() => order.push('requests finished'));
      s.release();
      await finished;
    });
    expect(shutdown.draining).toBe(true);
    await done;
    expect(await slow).toEqual({ status: 200, connection: 'close', body: 'slow done' });
    expect(order).toEqual(['stop (draining: true)', 'requests finished']);
    expect(exits).toEqual([0]);
    expect(s.server.listening).toBe(false);
  });

  it('serves through the drain period, each answer closing its connection', async () => {
    const exits: number[] = [];
    const shutdown = new GracefulShutdown({ graceSeconds: 30, drainSeconds: 1, log: quiet, exit: (c) => exits.push(c) });
    const s = await slowServer(shutdown);
    expect(await get(`${s.base}/fast`)).toEqual({ status: 200, connection: 'keep-alive', body: 'ok' });
    let stopped = false;
    const done = shutdown.run(async () => {
      stopped = true;
      await new Promise<void>((r) => s.server.close(() => r()));
    });
    // Draining: still served, and told to close the connection.
    expect(await get(`${s.base}/fast`)).toEqual({ status: 200, connection: 'close', body: 'ok' });
    expect(stopped).toBe(false);
    await done;
    expect(stopped).toBe(true);
    expect(exits).toEqual([0]);
    await expect(get(`${s.base}/fast`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('does not wait for event streams, and exits 1 when the grace period is over', async () => {
    const exits: number[] = [];
    const shutdown = new GracefulShutdown({ graceSeconds: 1, drainSeconds: 0, log: quiet, exit: (c) => exits.push(c) });
    const s = await slowServer(shutdown);
    const stream = await new Promise<http.IncomingMessage>((resolve) => http.get(`${s.base}/stream`, { agent: false }, resolve));
    expect(shutdown.requestsInFlight()).toBe(0);
    await shutdown.requestsFinished();
    // A stop that never ends (here: a server close that waits for the open stream).
    await shutdown.run(() => new Promise<void>((r) => s.server.close(() => r())));
    expect(exits).toEqual([1]);
    stream.destroy();
    s.server.closeAllConnections();
  });

  it('is built from the shutdown variables (fromConfig): the drain and the grace period are theirs', async () => {
    const exits: number[] = [];
    const config = loadConfig(shutdownConfigSpec(), { SHUTDOWN_GRACE_SECONDS: '2', SHUTDOWN_DRAIN_SECONDS: '1' });
    const shutdown = GracefulShutdown.fromConfig(config, quiet, { exit: (c) => exits.push(c) });
    const s = await slowServer(shutdown);
    try {
      let stopped = false;
      // A stop that never ends: the grace period ends the shutdown, after the drain.
      const done = shutdown.run(async () => {
        stopped = true;
        await new Promise(() => undefined);
      });
      // (with no drain, `stop` would have been called by now)
      expect(stopped).toBe(false);
      expect(await get(`${s.base}/fast`)).toEqual({ status: 200, connection: 'close', body: 'ok' });
      await done;
      expect(stopped).toBe(true);
      expect(exits).toEqual([1]);
    } finally {
      s.server.close();
      s.server.closeAllConnections();
    }
  });

  it('exits 1 when the stop fails, and runs once whatever the number of signals', async () => {
    const exits: number[] = [];
    const shutdown = new GracefulShutdown({ graceSeconds: 30, drainSeconds: 0, log: quiet, exit: (c) => exits.push(c) });
    let runs = 0;
    const stop = async () => {
      runs++;
      throw new Error('broken');
    };
    await Promise.all([shutdown.run(stop), shutdown.run(stop, 'SIGINT')]);
    expect(runs).toBe(1);
    expect(exits).toEqual([1]);
  });
});
