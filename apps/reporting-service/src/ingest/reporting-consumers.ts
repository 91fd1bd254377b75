import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AUDIT_EVENT_TYPE, type BatchItem, DIRECTORY_EVENTS, type EventEnvelope, TOPICS, withBatchHandler } from '@remote-help/events';
import { EventPipeline } from '@remote-help/service-kit';
import { EntityManager } from 'typeorm';
import { AuditLogStore } from '../audit/audit-log.store';
import { DirectoryUserStore } from '../directory/directory-user.store';
import { SessionRecordStore } from '../session-record/session-record.store';
import { type AuditData, parseAuditRecord, parseSessionFacts, parseTransitionAudit, parseUserName, RejectedEventError, type SessionFactsData } from './event-data';

/** The consumer names (consumer groups `<prefix>reporting-service.<name>`, keys in processed_events). */
export const CONSUMERS = { sessions: 'sessions', audit: 'audit', directory: 'directory' } as const;

/**
 * The audit log may trail its events by a fraction of a second: under load the audit topic is
 * read in fetches of at least 64 KiB, or every 250 ms, instead of one fetch per outbox batch (fewer
 * requests to the broker, fewer transactions here). Session events are read at once: the live
 * active-session count that dashboards subscribe to is derived from them here.
 */
const AUDIT_FETCH = { minBytes: 64 * 1024, maxWaitTimeInMs: 250 };

/**
 * reporting-service's Kafka consumers. Each event is applied in the transaction that records its
 * id as processed (EventPipeline / IdempotentConsumer), so a redelivery changes nothing. Events
 * whose data is invalid for this service are set aside in `rejected_events` with the reason, in
 * that same transaction, and consumption goes on. Events of a tenant this service has not heard
 * of are recorded under their tenant id like any other (reporting keeps no tenant list).
 * A session event also carries the audit log line of its transition (SessionFacts.audit), which
 * goes into the audit log with the session's record, in the same transaction.
 * Session events also have a set-based form (`handleSessionBatch`), which IdempotentConsumer
 * uses for runs of several new events: the same effect, with a few statements per batch.
 */
@Injectable()
export class ReportingConsumers implements OnModuleInit {
  private readonly log = new Logger('ReportingConsumers');

  constructor(
    private readonly pipeline: EventPipeline,
    private readonly sessions: SessionRecordStore,
    private readonly audit: AuditLogStore,
    private readonly users: DirectoryUserStore,
  ) {}

  onModuleInit() {
    this.pipeline.register({
      name: CONSUMERS.sessions,
      topics: [TOPICS.session],
      handler: withBatchHandler(
        (e, m, meta) => this.handleSession(e, m, meta.topic),
        (items, m) => this.handleSessionBatch(items, m),
      ),
    });
    this.pipeline.register({
      name: CONSUMERS.audit,
      topics: [TOPICS.audit],
      fetch: AUDIT_FETCH,
      handler: withBatchHandler(
        (e, m, meta) => this.handleAudit(e, m, meta.topic),
        (items, m) => this.handleAuditBatch(items, m),
      ),
    });
    this.pipeline.register({ name: CONSUMERS.directory, topics: [TOPICS.tenant], handler: (e, m, meta) => this.handleDirectory(e, m, meta.topic) });
  }

  handleSession(event: EventEnvelope, m: EntityManager, topic: string = TOPICS.session): Promise<void> {
    return this.guard(CONSUMERS.sessions, topic, event, m, async () => {
      const facts = parseSessionFacts(event);
      const audit = parseTransitionAudit(event);
      const outcome = await this.sessions.apply(m, facts);
      // The transition's audit line, even when the record already knows a later version: the
      // audit log keeps every action.
      if (audit) await this.audit.record(m, audit);
      if (outcome === 'stale') this.log.log(`session event ${event.id} (${event.type}) is older than the record: ignored`);
      if (outcome === 'expired') this.log.log(`session event ${event.id} (${event.type}) is older than the retention period: ignored`);
    });
  }

  /** `handleSession` of each item in order, set-wise (SessionRecordStore.applyMany). */
  async handleSessionBatch(items: BatchItem[], m: EntityManager): Promise<void> {
    const valid: { item: BatchItem; facts: SessionFactsData; audit: AuditData | null }[] = [];
    const rejected: { item: BatchItem; error: RejectedEventError }[] = [];
    for (const item of items) {
      try {
        valid.push({ item, facts: parseSessionFacts(item.event), audit: parseTransitionAudit(item.event) });
      } catch (e) {
        if (!(e instanceof RejectedEventError)) throw e;
        rejected.push({ item, error: e });
      }
    }
    const outcomes = valid.length ? await this.sessions.applyMany(m, valid.map((v) => v.facts)) : [];
    let stale = 0;
    let expired = 0;
    const audits: AuditData[] = [];
    outcomes.forEach((o, i) => {
      const { item, audit } = valid[i];
      if (o instanceof RejectedEventError) {
        rejected.push({ item, error: o });
        return;
      }
      if (audit) audits.push(audit);
      if (o === 'stale') stale++;
      else if (o === 'expired') expired++;
    });
    if (audits.length) await this.audit.recordMany(m, audits);
    if (stale) this.log.log(`${stale} session event(s) older than their records: ignored`);
    if (expired) this.log.log(`${expired} session event(s) older than the retention period: ignored`);
    for (const { item, error } of rejected) await this.reject(CONSUMERS.sessions, item.meta.topic, item.event, error, m);
  }

  handleAudit(event: EventEnvelope, m: EntityManager, topic: string = TOPICS.audit): Promise<void> {
    return this.guard(CONSUMERS.audit, topic, event, m, async () => {
      if (event.type !== AUDIT_EVENT_TYPE) throw new RejectedEventError(`${event.type} is not an audit event (${AUDIT_EVENT_TYPE})`);
      await this.audit.record(m, parseAuditRecord(event));
    });
  }

  /** `handleAudit` of each item, set-wise: the valid records in one statement, the others set aside. */
  async handleAuditBatch(items: BatchItem[], m: EntityManager): Promise<void> {
    const valid: AuditData[] = [];
    const rejected: { item: BatchItem; error: RejectedEventError }[] = [];
    for (const item of items) {
      try {
        if (item.event.type !== AUDIT_EVENT_TYPE) throw new RejectedEventError(`${item.event.type} is not an audit event (${AUDIT_EVENT_TYPE})`);
        valid.push(parseAuditRecord(item.event));
      } catch (e) {
        if (!(e instanceof RejectedEventError)) throw e;
        rejected.push({ item, error: e });
      }
    }
    await this.audit.recordMany(m, valid);
    for (const { item, error } of rejected) await this.reject(CONSUMERS.audit, item.meta.topic, item.event, error, m);
  }

  handleDirectory(event: EventEnvelope, m: EntityManager, topic: string = TOPICS.tenant): Promise<void> {
    // Only the user snapshots matter here (names for the reports); the other directory events are not for this service.
    if (event.type !== DIRECTORY_EVENTS.userUpserted && event.type !== DIRECTORY_EVENTS.licenseAssigned) return Promise.resolve();
    return this.guard(CONSUMERS.directory, topic, event, m, () => this.users.upsert(m, parseUserName(event)));
  }

  private async guard(consumer: string, topic: string, event: EventEnvelope, m: EntityManager, apply: () => Promise<void>): Promise<void> {
    try {
      await apply();
    } catch (e) {
      if (!(e instanceof RejectedEventError)) throw e; // anything else: rolled back and retried
      await this.reject(consumer, topic, event, e, m);
    }
  }

  private async reject(consumer: string, topic: string, event: EventEnvelope, e: RejectedEventError, m: EntityManager): Promise<void> {
    this.log.warn(`event ${event.id} (${event.type}, tenant ${event.tenantId}) set aside: ${e.message}`);
    await m.query(
      `INSERT INTO rejected_events (consumer, event_id, topic, event_type, tenant_id, reason, payload) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
       ON CONFLICT (consumer, event_id) DO NOTHING`,
      [consumer, event.id, topic, event.type, event.tenantId, e.message, JSON.stringify(event)],
    );
  }
}
