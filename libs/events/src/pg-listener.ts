import { Client, type ClientConfig } from 'pg';

const MAX_BACKOFF_MS = 5000;
const noop = () => undefined;

/** 250 ms, doubling per consecutive failure, at most 5 s. */
export function reconnectBackoff(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.max(0, failures - 1));
}

export interface PgListenerOptions {
  /** A dedicated connection (never from a pool: LISTEN belongs to the session). */
  config: ClientConfig;
  channel: string;
  onNotification: (payload: string) => void;
  /** LISTEN is in place (at start, and after every reconnection): what was missed meanwhile is unknown. */
  onUp: () => void;
  /** The connection could not be made (`connect`) or was lost (`lost`); it is retried with backoff. */
  onDown: (err: unknown, phase: 'connect' | 'lost') => void;
}

/**
 * A `LISTEN channel` on a connection of its own that comes back by itself: when the connection
 * fails or is lost it reports `onDown` and reconnects with backoff (reconnectBackoff), then
 * reports `onUp`. Used by the outbox relay (wake-ups) and rbac-service's access-facts cache
 * (change notices).
 */
export class PgListener {
  private client?: Client;
  private timer?: NodeJS.Timeout;
  private failures = 0;
  private running = false;

  constructor(private readonly opts: PgListenerOptions) {}

  /** Starts listening; resolves after the first attempt (a failed one is retried in the background). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const client = this.client;
    this.client = undefined;
    if (client) await client.end().catch(noop);
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    const client = new Client(this.opts.config);
    const drop = (err: unknown, phase: 'connect' | 'lost') => {
      if (this.client === client) this.client = undefined;
      client.removeAllListeners('notification');
      client.removeAllListeners('end');
      client.end().catch(noop);
      if (this.running) this.opts.onDown(err, phase);
      this.schedule();
    };
    client.on('notification', (n) => this.opts.onNotification(n.payload ?? ''));
    client.on('error', (err) => {
      if (this.client === client) drop(err, 'lost');
    });
    client.on('end', () => {
      if (this.client === client) drop(new Error('connection ended'), 'lost');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.opts.channel}`);
    } catch (err) {
      drop(err, 'connect');
      return;
    }
    if (!this.running) {
      await client.end().catch(noop);
      return;
    }
    this.client = client;
    this.failures = 0;
    this.opts.onUp();
  }

  private schedule(): void {
    if (!this.running || this.timer || this.client) return;
    this.failures += 1;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connect();
    }, reconnectBackoff(this.failures));
  }
}
