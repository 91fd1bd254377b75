import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { pgClientConfigFrom } from '@remote-help/events';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { FactsCache } from './access-facts.cache';

/** The channel the access-facts triggers notify (migration 1764300000000): 'u:<id>', 'd:<id>' or 't:<tenant id>'. */
export const ACCESS_FACTS_CHANNEL = 'rbac_access_facts';

const MAX_BACKOFF_MS = 5000;

/**
 * Keeps FactsCache honest: LISTENs on ACCESS_FACTS_CHANNEL, where a trigger on every table the
 * decision facts come from (directory copy, roles, role assignments) names each user, device or
 * tenant whose rows a committed statement changed, whoever wrote it (this instance, another one, the CLI, an operator's
 * SQL). The cache answers only while this connection is up: when it drops, the cache forgets
 * everything and every decision reads the database until the connection is back.
 */
@Injectable()
export class AccessFactsListener implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('AccessFacts');
  private client?: Client;
  private timer?: NodeJS.Timeout;
  private failures = 0;
  private running = false;

  constructor(
    private readonly cache: FactsCache,
    private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.cache.maxEntries <= 0) return; // turned off: always the database
    this.running = true;
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const client = this.client;
    this.client = undefined;
    this.cache.setLive(false);
    if (client) await client.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    const client = new Client(pgClientConfigFrom(this.dataSource, 'rbac-access-facts'));
    const drop = (err?: unknown) => {
      if (this.client !== client && this.client !== undefined) return;
      this.client = undefined;
      this.cache.setLive(false);
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      if (err) this.log.warn(`access facts change feed lost (${(err as Error).message ?? err}); decisions read the database until it is back`);
      this.schedule();
    };
    client.on('notification', (n) => {
      this.cache.notice(n.payload ?? '');
    });
    client.on('error', (err) => drop(err));
    client.on('end', () => {
      if (this.client === client) drop(new Error('connection ended'));
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${ACCESS_FACTS_CHANNEL}`);
      if (!this.running) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.failures = 0;
      // Whatever changed while nobody listened is unknown: start from nothing.
      this.cache.setLive(true);
    } catch (err) {
      client.removeAllListeners('end');
      this.client = undefined;
      this.log.warn(`cannot LISTEN for access facts changes (${(err as Error).message}); decisions read the database meanwhile`);
      client.end().catch(() => undefined);
      this.schedule();
    }
  }

  private schedule(): void {
    if (!this.running || this.timer || this.client) return;
    this.failures += 1;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connect();
    }, Math.min(MAX_BACKOFF_MS, 250 * 2 ** (this.failures - 1)));
  }
}
