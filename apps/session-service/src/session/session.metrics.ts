import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { ProcessMetrics } from '@remote-help/metrics';
import { PROCESS_METRICS, SERVICE_OPTIONS, type ServiceOptions } from '@remote-help/service-kit';
import type { SessionServiceConfig } from '../config';
import { SessionStore } from './session-store';

/**
 * `remote_help_active_sessions`: the ACTIVE sessions, read from the database at each scrape (so
 * every replica reports the same number: take the max, not the sum). With METRICS_TENANT_LABEL
 * on, one series per tenant for the METRICS_TENANT_LABEL_MAX tenants with the most, the rest as
 * `tenant="other"`.
 */
@Injectable()
export class SessionMetrics implements OnModuleInit {
  constructor(
    @Inject(PROCESS_METRICS) private readonly metrics: ProcessMetrics,
    @Inject(SERVICE_OPTIONS) private readonly options: ServiceOptions,
    private readonly store: SessionStore,
  ) {}

  onModuleInit() {
    const config = this.options.config as SessionServiceConfig;
    this.metrics.trackActiveSessions(() => this.store.countActiveByTenant(), config.METRICS_TENANT_LABEL ? { max: config.METRICS_TENANT_LABEL_MAX } : undefined);
  }
}
