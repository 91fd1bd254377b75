import * as http from 'node:http';
import { loadConfig } from './config';
import { applyHttpServerTimeouts, httpServerConfigSpec } from './http-server';

describe('the public HTTP server (HTTP_KEEP_ALIVE_SECONDS)', () => {
  const timeouts = (raw: Record<string, string>) => {
    const server = http.createServer();
    applyHttpServerTimeouts(server, loadConfig(httpServerConfigSpec(), raw));
    return { keepAlive: server.keepAliveTimeout, headers: server.headersTimeout, request: server.requestTimeout };
  };

  it('keeps idle connections 65 s by default, longer than the 60 s idle timeout of most load balancers, headers a second more', () => {
    expect(timeouts({})).toEqual({ keepAlive: 65_000, headers: 66_000, request: 300_000 });
  });

  it('keeps them as long as configured, the headers and request timeouts above', () => {
    expect(timeouts({ HTTP_KEEP_ALIVE_SECONDS: '620' })).toEqual({ keepAlive: 620_000, headers: 621_000, request: 621_000 });
  });

  it('refuses a value out of range', () => {
    expect(() => loadConfig(httpServerConfigSpec(), { HTTP_KEEP_ALIVE_SECONDS: '0' })).toThrow(/HTTP_KEEP_ALIVE_SECONDS: must be between 1 and 3600/);
  });

  it('tells clients how long it keeps a connection', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    applyHttpServerTimeouts(server, { HTTP_KEEP_ALIVE_SECONDS: 75 });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const agent = new http.Agent({ keepAlive: true });
    try {
      const keepAlive = await new Promise<string | undefined>((resolve, reject) =>
        http
          .get({ host: '127.0.0.1', port: (server.address() as import('node:net').AddressInfo).port, agent }, (res) => {
            res.resume();
            resolve(String(res.headers['keep-alive']));
          })
          .on('error', reject),
      );
      expect(keepAlive).toBe('timeout=75');
    } finally {
      agent.destroy();
      server.closeAllConnections();
      server.close();
    }
  });
});
