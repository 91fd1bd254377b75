import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { retentionCutoff } from '../common/time';
import { REPORTING_SETTINGS, type ReportingSettings } from '../config';
import type { AuditData } from '../ingest/event-data';

/** Writes the audit log from the audit events of every service (one row per event id). */
@Injectable()
export class AuditLogStore {
  constructor(
    private readonly clock: Clock,
    @Inject(REPORTING_SETTINGS) private readonly settings: ReportingSettings,
  ) {}

  async record(m: EntityManager, a: AuditData): Promise<'recorded' | 'duplicate' | 'expired'> {
    if (a.occurredAt.getTime() < retentionCutoff(this.clock.now(), this.settings.retentionDays).getTime()) return 'expired';
    const rows: unknown[] = await m.query(
      `INSERT INTO audit_events (id, tenant_id, occurred_at, source, category, activity, actor_id, actor_kind, target_id, result, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [a.id, a.tenantId, a.occurredAt, a.source, a.category, a.activity, a.actorId, a.actorKind, a.targetId, a.result, a.details],
    );
    return rows.length ? 'recorded' : 'duplicate';
  }

  /** `record` of each, in one statement (those older than the retention period are skipped); how many were new. */
  async recordMany(m: EntityManager, list: readonly AuditData[]): Promise<number> {
    const cutoff = retentionCutoff(this.clock.now(), this.settings.retentionDays).getTime();
    const kept = list.filter((a) => a.occurredAt.getTime() >= cutoff);
    if (kept.length === 0) return 0;
    const rows: unknown[] = await m.query(
      `INSERT INTO audit_events (id, tenant_id, occurred_at, source, category, activity, actor_id, actor_kind, target_id, result, details)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        kept.map((a) => a.id),
        kept.map((a) => a.tenantId),
        kept.map((a) => a.occurredAt),
        kept.map((a) => a.source),
        kept.map((a) => a.category),
        kept.map((a) => a.activity),
        kept.map((a) => a.actorId),
        kept.map((a) => a.actorKind),
        kept.map((a) => a.targetId),
        kept.map((a) => a.result),
        kept.map((a) => a.details),
      ],
    );
    return rows.length;
  }
}
