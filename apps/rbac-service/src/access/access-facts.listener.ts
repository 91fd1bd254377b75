import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { pgClientConfigFrom, PgListener } from '@remote-help/events';
import { DataSource } from 'typeorm';
import { FactsCache } from './access-facts.cache';

/** The channel the access-facts triggers notify (migration 1764300000000): 'u:<id>', 'd:<id>' or 't:<tenant id>'. */
export const ACCESS_FACTS_CHANNEL = 'rbac_access_facts';

/**
 * Keeps FactsCache honest: LISTENs on ACCESS_FACTS_CHANNEL, where a trigger on every table the
 * decision facts come from (directory copy, roles, role assignments) names each user, device or
 * tenant whose rows a committed statement changed, whoever wrote it (this instance, another one,
 * the CLI, an operator's SQL). The cache answers only while this connection is up: when it drops,
 * the cache forgets everything and every decision reads the database until the connection is back.
 */
@Injectable()
export class AccessFactsListener implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('AccessFacts');
  private readonly listener: PgListener;

  constructor(
    private readonly cache: FactsCache,
    dataSource: DataSource,
  ) {
    this.listener = new PgListener({
      config: pgClientConfigFrom(dataSource, 'rbac-access-facts'),
      channel: ACCESS_FACTS_CHANNEL,
      onNotification: (payload) => cache.notice(payload),
      // Whatever changed while nobody listened is unknown: start from nothing.
      onUp: () => cache.setLive(true),
      onDown: (err, phase) => {
        cache.setLive(false);
        const why = (err as Error)?.message ?? String(err);
        this.log.warn(phase === 'lost' ? `access facts change feed lost (${why}); decisions read the database until it is back` : `cannot LISTEN for access facts changes (${why}); decisions read the database meanwhile`);
      },
    });
  }

  async onModuleInit(): Promise<void> {
    if (this.cache.maxEntries <= 0) return; // turned off: always the database
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener.stop();
    this.cache.setLive(false);
  }
}
