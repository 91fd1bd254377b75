import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AUDIT_EVENT_TYPE, type BatchItem, type CatalogueEvent, DIRECTORY_EVENTS, type EventEnvelope, isEventOf, SESSION_EVENTS, TOPICS, withBatchHandler } from '@remote-help/events';
import { EventPipeline } from '@remote-help/service-kit';
import { EntityManager } from 'typeorm';
import { AuditLogStore } from '../audit/audit-log.store';
import { DirectoryUserStore } from '../directory/directory-user.store';
import { SessionRecordStore } from '../session-record/session-record.store';
import { type AuditData, auditRecordOf, RejectedEventError, type SessionEvent, sessionFactsOf, type SessionFactsData, transitionAuditOf, userNameOf } from './event-data';

const SESSION_EVENT_TYPES = Object.values(SESSION_EVENTS);

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
 * come parsed by their contracts: one that does not parse went to the dead-letter topic with the
 * reason. A well-formed event that cannot be applied here (a session id that is another
 * tenant's) is set aside in `rejected_events` with the reason, in that same transaction, and
 * consumption goes on. Events of a tenant this service has not heard
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
      handler: withBatchHandler<CatalogueEvent>(
        (e, m, meta) => this.handleSession(e, m, meta.topic),
        (items, m) => this.handleSessionBatch(items, m),
      ),
    });
    this.pipeline.register({
      name: CONSUMERS.audit,
      topics: [TOPICS.audit],
      fetch: AUDIT_FETCH,
      handler: withBatchHandler<CatalogueEvent>(
        (e, m) => this.handleAudit(e, m),
        (items, m) => this.handleAuditBatch(items, m),
      ),
    });
    this.pipeline.register({ name: CONSUMERS.directory, topics: [TOPICS.tenant], handler: (e, m) => this.handleDirectory(e, m) });
  }

  handleSession(event: CatalogueEvent, m: EntityManager, topic: string = TOPICS.session): Promise<void> {
    if (!isEventOf(event, ...SESSION_EVENT_TYPES)) return Promise.resolve(); // not a lifecycle event: not for this consumer
    return this.guard(CONSUMERS.sessions, topic, event, m, async () => {
      const facts = sessionFactsOf(event);
      const audit = transitionAuditOf(event);
      const outcome = await this.sessions.apply(m, facts);
      // The transition's audit line, even when the record already knows a later version: the
      // audit log keeps every action.
      if (audit) await this.audit.record(m, audit);
      if (outcome === 'stale') this.log.log(`session event ${event.id} (${event.type}) is older than the record: ignored`);
      if (outcome === 'expired') this.log.log(`session event ${event.id} (${event.type}) is older than the retention period: ignored`);
    });
  }

  /** `handleSession` of each item in order, set-wise (SessionRecordStore.applyMany). */
  async handleSessionBatch(items: BatchItem<CatalogueEvent>[], m: EntityManager): Promise<void> {
    const valid: { item: BatchItem<SessionEvent>; facts: SessionFactsData; audit: AuditData | null }[] = [];
    const rejected: { item: BatchItem; error: RejectedEventError }[] = [];
    for (const { event, meta } of items) {
      if (isEventOf(event, ...SESSION_EVENT_TYPES)) valid.push({ item: { event, meta }, facts: sessionFactsOf(event), audit: transitionAuditOf(event) });
    }
    const outcomes = valid.length
      ? await this.sessions.applyMany(
          m,
          valid.map((v) => v.facts),
        )
      : [];
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

  /** Audit events (their topic carries nothing else: the contracts put each type on its topic). */
  async handleAudit(event: CatalogueEvent, m: EntityManager): Promise<void> {
    if (isEventOf(event, AUDIT_EVENT_TYPE)) await this.audit.record(m, auditRecordOf(event));
  }

  /** `handleAudit` of each item, set-wise: the records in one statement. */
  async handleAuditBatch(items: BatchItem<CatalogueEvent>[], m: EntityManager): Promise<void> {
    const records: AuditData[] = [];
    for (const { event } of items) if (isEventOf(event, AUDIT_EVENT_TYPE)) records.push(auditRecordOf(event));
    await this.audit.recordMany(m, records);
  }

  async handleDirectory(event: CatalogueEvent, m: EntityManager): Promise<void> {
    // Only the user snapshots matter here (names for the reports); the other directory events are not for this service.
    if (isEventOf(event, DIRECTORY_EVENTS.userUpserted, DIRECTORY_EVENTS.licenseAssigned)) await this.users.upsert(m, userNameOf(event));
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
