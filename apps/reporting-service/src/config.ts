import type { ConfigOf } from '@remote-help/service-kit';
import { parsers, subgraphConfigSpec, type VarSpec } from '@remote-help/service-kit';

export { SERVICE_NAME } from './service-name';

/** reporting-service's own variables, beside those every subgraph reads. */
export const REPORTING_CONFIG = {
  REPORT_RETENTION_DAYS: {
    description: 'days that session records, audit events, set-aside events and processed event ids are kept (keep it above the Kafka topic retention)',
    default: '30',
    parse: parsers.int(1, 3650),
  },
  RETENTION_SWEEP_INTERVAL_MS: {
    description: 'how often the retention job deletes what is older than REPORT_RETENTION_DAYS (it also runs once at start)',
    default: '3600000',
    parse: parsers.int(1000, 7 * 24 * 3600 * 1000),
  },
} satisfies Record<string, VarSpec<unknown>>;

export const configSpec = { ...subgraphConfigSpec({ port: 4004, database: 'remote_help_reporting' }), ...REPORTING_CONFIG };
export type ReportingConfig = ConfigOf<typeof configSpec>;

/** What the reporting features read from the configuration (a provider, so tests can set it). */
export interface ReportingSettings {
  retentionDays: number;
  sweepIntervalMs: number;
}
export const REPORTING_SETTINGS = Symbol('REPORTING_SETTINGS');

export function reportingSettingsOf(config: ConfigOf<typeof REPORTING_CONFIG>): ReportingSettings {
  return { retentionDays: config.REPORT_RETENTION_DAYS, sweepIntervalMs: config.RETENTION_SWEEP_INTERVAL_MS };
}
