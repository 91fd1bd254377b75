import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { auditEvent, createEvent, TOPICS, writeOutboxRows, writeToOutbox } from '@remote-help/events';
import { failureDetails, SERVICE_OPTIONS, type ServiceOptions } from '@remote-help/service-kit';
import { DataSource, EntityManager } from 'typeorm';
import { factsOf, SessionRecord } from './session-record';

/** Who an audit event names as the actor. */
export interface AuditActor {
  id: string | null;
  kind: 'user' | 'device' | 'service' | 'system';
}

export const SYSTEM_ACTOR: AuditActor = { id: null, kind: 'system' };

export function auditActorOf(caller: Caller): AuditActor {
  if (caller.kind === 'user') return { id: caller.userId, kind: 'user' };
  if (caller.kind === 'device') return { id: caller.deviceId, kind: 'device' };
  return { id: null, kind: 'service' };
}

export const AUDIT_CATEGORY = 'RemoteHelp';

/** Short, text-free details of a session for its audit events (never chat text). */
export function auditDetails(s: SessionRecord): string {
  const parts = [`state=${s.state}`, `mode=${s.mode}`, `device=${s.deviceId}`];
  if (s.sharerId) parts.push(`sharer=${s.sharerId}`);
  if (s.endReason) parts.push(`endReason=${s.endReason}`);
  if (s.elevated) parts.push('elevated');
  return parts.join(' ');
}

/**
 * Writes what a transition publishes, in the transaction of the transition itself: the session
 * lifecycle event (the whole session, SessionFacts, subject = session id, so in order per
 * session) on TOPICS.session, and its audit event on TOPICS.audit.
 */
@Injectable()
export class SessionEvents {
  private readonly log = new Logger('SessionEvents');

  constructor(
    @Inject(SERVICE_OPTIONS) private readonly options: ServiceOptions,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * The outbox parameters of a transition for the one-statement writes of session-sql.ts: the
   * lifecycle event and the audit event as they will be written, except what the row gives
   * (the lifecycle event's data, the audit event's details), which the statement completes.
   */
  outboxParams(tenantId: string, sessionId: string, eventType: string, activity: string, actor: AuditActor): unknown[] {
    const source = this.options.name;
    const lifecycle = createEvent({ type: eventType, source, tenantId, subject: sessionId, data: null });
    const audit = auditEvent({ source, tenantId, actorId: actor.id, actorKind: actor.kind, category: AUDIT_CATEGORY, activity, targetId: sessionId, result: 'Success', details: '' });
    return [
      lifecycle.id,
      TOPICS.session,
      lifecycle.subject,
      JSON.stringify(lifecycle),
      audit.id,
      TOPICS.audit,
      audit.subject,
      JSON.stringify(audit),
      actor.id,
    ];
  }

  async transitioned(m: EntityManager, s: SessionRecord, eventType: string, activity: string, actor: AuditActor): Promise<void> {
    const source = this.options.name;
    await writeOutboxRows(m, [
      { topic: TOPICS.session, event: createEvent({ type: eventType, source, tenantId: s.tenantId, subject: s.id, data: factsOf(s, actor.id) }) },
      {
        topic: TOPICS.audit,
        event: auditEvent({ source, tenantId: s.tenantId, actorId: actor.id, actorKind: actor.kind, category: AUDIT_CATEGORY, activity, targetId: s.id, result: 'Success', details: auditDetails(s) }),
      },
    ]);
  }

  /** An audit event of its own (a refused or failed action, a denied request), in a transaction of its own. */
  async audit(tenantId: string, actor: AuditActor, activity: string, targetId: string | null, result: 'Success' | 'Failure', details: string): Promise<void> {
    try {
      await this.dataSource.transaction((m) =>
        writeToOutbox(
          m,
          TOPICS.audit,
          auditEvent({ source: this.options.name, tenantId, actorId: actor.id, actorKind: actor.kind, category: AUDIT_CATEGORY, activity, targetId, result, details: details.slice(0, 1000) }),
        ),
      );
    } catch (e) {
      this.log.error(`could not record "${activity}" (${result}): ${(e as Error).message}`);
    }
  }

  async failure(caller: Caller, activity: string, targetId: string | null, error: unknown): Promise<void> {
    if (!caller.tenantId) return;
    await this.audit(caller.tenantId, auditActorOf(caller), activity, targetId, 'Failure', failureDetails(error));
  }
}
