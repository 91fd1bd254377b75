// Test support (not built): session lifecycle events as session-service publishes them.
import { buildEvent, type EventEnvelope, SESSION_EVENTS, sessionAuditDetails, type SessionEventType, type SessionFacts } from '@remote-help/events';
import { randomUUID } from 'node:crypto';

export type Ending = 'ENDED' | 'DECLINED' | 'EXPIRED' | 'ACTIVE' | 'WAITING_FOR_SHARER';

export interface LifecycleOptions {
  tenantId: string;
  sessionId?: string;
  helperId?: string;
  /** null: a dedicated device with no user (unattended) */
  sharerId?: string | null;
  deviceId?: string;
  mode?: SessionFacts['requestedMode'];
  requestedAt: Date;
  /** seconds between start and end */
  durationSeconds?: number;
  ending?: Ending;
  enrolled?: boolean;
  elevated?: boolean;
  chatUsed?: boolean;
  reason?: string | null;
}

const ACTIVITIES: Record<string, string> = {
  [SESSION_EVENTS.requested]: 'Request remote help session',
  [SESSION_EVENTS.joined]: 'Join remote help session',
  [SESSION_EVENTS.started]: 'Start remote help session',
  [SESSION_EVENTS.declined]: 'Decline remote help session',
  [SESSION_EVENTS.elevated]: 'Elevate remote help session',
  [SESSION_EVENTS.chatUsed]: 'Use chat in remote help session',
  [SESSION_EVENTS.ended]: 'End remote help session',
  [SESSION_EVENTS.expired]: 'Expire remote help session',
};

/**
 * The events of one session, in order, each with the whole session after its transition and a
 * version one higher than the previous and the audit line of its transition: attended (requested, joined, started, ended) or
 * unattended (requested, started, ended), stopping at `ending`.
 */
export function lifecycle(o: LifecycleOptions): EventEnvelope<SessionFacts>[] {
  const mode = o.mode ?? 'VIEW_ONLY';
  const attended = mode !== 'UNATTENDED';
  const sharerId = o.sharerId === undefined ? (attended ? randomUUID() : null) : o.sharerId;
  const t0 = o.requestedAt.getTime();
  const startedAt = new Date(t0 + 30_000);
  const endedAt = new Date(startedAt.getTime() + (o.durationSeconds ?? 600) * 1000);
  const ending = o.ending ?? 'ENDED';
  let facts: SessionFacts = {
    sessionId: o.sessionId ?? randomUUID(),
    tenantId: o.tenantId,
    helperId: o.helperId ?? randomUUID(),
    sharerId: null,
    deviceId: o.deviceId ?? randomUUID(),
    platform: attended ? 'WINDOWS' : 'ANDROID_DEDICATED',
    deviceEnrolled: o.enrolled ?? true,
    requestedMode: mode,
    mode,
    state: 'WAITING_FOR_SHARER',
    elevated: false,
    chatEnabled: true,
    chatUsed: false,
    reason: o.reason === undefined ? 'INC-1234' : o.reason,
    requestedAt: new Date(t0).toISOString(),
    startedAt: null,
    endedAt: null,
    endReason: null,
    actorId: null,
    version: 1,
  };
  const events: EventEnvelope<SessionFacts>[] = [];
  const emit = (type: SessionEventType, change: Partial<SessionFacts>, at: Date) => {
    facts = { ...facts, ...change, version: events.length + 1 };
    // the transition's audit line, as session-service writes it (activity by event type)
    const audit = { category: 'RemoteHelp', activity: ACTIVITIES[type], actorKind: facts.actorId ? ('user' as const) : ('system' as const), details: sessionAuditDetails(facts) };
    events.push(buildEvent(type, { source: 'session-service', tenantId: o.tenantId, subject: facts.sessionId, data: { ...facts, audit }, time: at }));
  };
  emit(SESSION_EVENTS.requested, {}, new Date(t0));
  if (ending === 'WAITING_FOR_SHARER') return events;
  if (ending === 'EXPIRED') {
    emit(SESSION_EVENTS.expired, { state: 'EXPIRED', endedAt: new Date(t0 + 600_000).toISOString(), endReason: 'EXPIRED' }, new Date(t0 + 600_000));
    return events;
  }
  if (attended) emit(SESSION_EVENTS.joined, { sharerId, state: 'PENDING_CONSENT', actorId: sharerId }, new Date(t0 + 10_000));
  if (ending === 'DECLINED') {
    emit(SESSION_EVENTS.declined, { state: 'DECLINED', endedAt: new Date(t0 + 20_000).toISOString(), actorId: sharerId }, new Date(t0 + 20_000));
    return events;
  }
  emit(SESSION_EVENTS.started, { state: 'ACTIVE', startedAt: startedAt.toISOString() }, startedAt);
  if (o.elevated) emit(SESSION_EVENTS.elevated, { elevated: true, mode: mode === 'UNATTENDED' ? mode : 'FULL_CONTROL' }, new Date(startedAt.getTime() + 1000));
  if (o.chatUsed) emit(SESSION_EVENTS.chatUsed, { chatUsed: true }, new Date(startedAt.getTime() + 2000));
  if (ending === 'ACTIVE') return events;
  emit(SESSION_EVENTS.ended, { state: 'ENDED', endedAt: endedAt.toISOString(), endReason: 'HELPER_ENDED', actorId: facts.helperId }, endedAt);
  return events;
}
