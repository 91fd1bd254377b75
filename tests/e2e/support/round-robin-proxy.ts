import * as net from 'node:net';
import { freePort } from './oidc-processes';

/**
 * The test's stand-in for a Kubernetes Service in front of a service's replicas: a TCP proxy
 * that hands each new connection to the next ready replica in turn (a connection stays with its
 * replica for its whole life, as with kube-proxy). Like the endpoints controller, it asks each
 * replica's readiness endpoint every `checkEveryMs` and leaves out those that answer anything
 * but 200 (a replica that is shutting down); a connection refused by one replica goes to the
 * next.
 */
export class RoundRobinProxy {
  private next = 0;
  private readonly open = new Set<net.Socket>();
  /** The last readiness answer of each backend (absent: not asked yet, counted as ready). */
  private readonly ready = new Map<number, boolean>();
  private readonly checking = new Set<number>();
  private timer?: NodeJS.Timeout;
  /** Connections handed to each backend port (to show that every replica served). */
  readonly connections = new Map<number, number>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    private readonly backends: number[],
    private readonly readyPath: string,
  ) {}

  static async start(backends: number[], opts: { readyPath?: string; checkEveryMs?: number } = {}): Promise<RoundRobinProxy> {
    const port = await freePort();
    const server = net.createServer();
    const proxy = new RoundRobinProxy(server, port, [...backends], opts.readyPath ?? '/health/ready');
    server.on('connection', (client) => proxy.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    proxy.timer = setInterval(() => proxy.checkReadiness(), opts.checkEveryMs ?? 200);
    proxy.timer.unref();
    return proxy;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Adds a replica (by its port) to the rotation. */
  add(port: number): void {
    this.backends.push(port);
  }

  private checkReadiness() {
    for (const port of this.backends) {
      if (this.checking.has(port)) continue;
      this.checking.add(port);
      fetch(`http://127.0.0.1:${port}${this.readyPath}`, { signal: AbortSignal.timeout(2000) })
        .then(
          (res) => {
            this.ready.set(port, res.status === 200);
            return res.arrayBuffer();
          },
          // A check that timed out on a busy machine says nothing; a refused connection says not ready.
          (e: Error) => void (e.name === 'TimeoutError' || this.ready.set(port, false)),
        )
        .catch(() => undefined)
        .finally(() => this.checking.delete(port));
    }
  }

  /** The backends to try for a new connection, in order. */
  private order(): number[] {
    const live = this.backends.filter((p) => this.ready.get(p) !== false);
    const rotation = live.length ? live : this.backends;
    const first = this.next++ % rotation.length;
    return [...rotation.slice(first), ...rotation.slice(0, first), ...this.backends.filter((p) => !rotation.includes(p))];
  }

  private accept(client: net.Socket) {
    client.pause();
    this.open.add(client);
    client.once('close', () => this.open.delete(client));
    client.on('error', () => client.destroy());
    const order = this.order();
    const tryBackend = (attempt: number) => {
      if (client.destroyed) return;
      if (attempt >= order.length) return void client.destroy();
      const port = order[attempt];
      const upstream = net.connect(port, '127.0.0.1');
      const refused = () => tryBackend(attempt + 1);
      upstream.once('error', refused);
      upstream.once('connect', () => {
        upstream.off('error', refused);
        this.connections.set(port, (this.connections.get(port) ?? 0) + 1);
        this.open.add(upstream);
        upstream.once('close', () => this.open.delete(upstream));
        // An end is passed on after the data (pipe); a reset or error cuts the other side too.
        upstream.on('error', () => client.destroy());
        upstream.on('close', (hadError) => (hadError ? client.destroy() : client.end()));
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    tryBackend(0);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const s of this.open) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
