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
}
