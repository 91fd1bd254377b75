import { Inject, Injectable } from '@nestjs/common';
import { badInput } from '@remote-help/service-kit';
import { Clock } from '../common/clock';
import { DAY_MS } from '../common/time';
import { REPORTING_SETTINGS, type ReportingSettings } from '../config';
import { assembleMonitor } from './monitor-math';
import type { RemoteHelpMonitor } from './monitor.model';
import { SessionStatsReader } from './session-stats.reader';

/** Longest range of one monitor query (its daily series has one entry per day). */
export const MAX_MONITOR_DAYS = 366;

@Injectable()
export class MonitorService {
  constructor(
    private readonly stats: SessionStatsReader,
    private readonly clock: Clock,
    @Inject(REPORTING_SETTINGS) private readonly settings: ReportingSettings,
  ) {}

  activeSessionCount(tenantId: string): Promise<number> {
    return this.stats.activeSessions(tenantId);
  }

  /** [from, to) on requestedAt; `to` defaults to now, `from` to the retention period before `to`. */
  async monitor(tenantId: string, from: Date | null | undefined, to: Date | null | undefined): Promise<RemoteHelpMonitor> {
    const end = to ?? this.clock.now();
    const start = from ?? new Date(end.getTime() - this.settings.retentionDays * DAY_MS);
    if (start.getTime() > end.getTime()) throw badInput('from must not be after to');
    if (end.getTime() - start.getTime() > MAX_MONITOR_DAYS * DAY_MS) throw badInput(`the range must not be longer than ${MAX_MONITOR_DAYS} days`);
    const [active, rows] = await Promise.all([this.stats.activeSessions(tenantId), this.stats.dayTypeStats(tenantId, start, end)]);
    return assembleMonitor(active, start, end, rows);
  }
}
