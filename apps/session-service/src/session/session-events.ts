import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { activeTraceContextJson, auditEvent, buildEvent, eventEnvelopeFor, sessionAuditDetails, type SessionEventType, type SessionTransitionAudit, TOPICS, writeToOutbox } from '@remote-help/events';
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

/** The audit part of a transition's lifecycle event (SessionFacts.audit), `details` aside. */
function transitionAudit(activity: string, actor: AuditActor): Omit<SessionTransitionAudit, 'details'> {
  return { category: AUDIT_CATEGORY, activity, actorKind: actor.kind };
}

/**
 * Writes what a transition publishes, in the transaction of the transition itself: one session
 * lifecycle event on TOPICS.session (the whole session, SessionFacts, subject = session id, so in
 * order per session) which also carries the transition's audit log line (`SessionFacts.audit`;
 * reporting-service records it in the audit log as it does an audit event). Refused and failed
 * actions, which change no session, are audit events of their own on TOPICS.audit (`audit`).
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
   * lifecycle event as it will be written except its data, which the statement completes from
   * the row (SessionFacts as `factsOf` makes them, with this audit part, its details as
   * `sessionAuditDetails` makes them): event id, topic, key, event, audit part, actor id, and
   * the trace context of the request (as writeToOutbox keeps it).
   */
  outboxParams(tenantId: string, sessionId: string, eventType: SessionEventType, activity: string, actor: AuditActor): unknown[] {
    const lifecycle = eventEnvelopeFor(eventType, { source: this.options.name, tenantId, subject: sessionId });
    return [lifecycle.id, TOPICS.session, lifecycle.subject, JSON.stringify(lifecycle), JSON.stringify(transitionAudit(activity, actor)), actor.id, activeTraceContextJson()];
  }

  async transitioned(m: EntityManager, s: SessionRecord, eventType: SessionEventType, activity: string, actor: AuditActor): Promise<void> {
    const data = { ...factsOf(s, actor.id), audit: { ...transitionAudit(activity, actor), details: sessionAuditDetails(s) } };
    await writeToOutbox(m, TOPICS.session, buildEvent(eventType, { source: this.options.name, tenantId: s.tenantId, subject: s.id, data }));
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
