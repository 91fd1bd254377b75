import { EndReason, isUuid, SessionMode, SessionState } from '@remote-help/domain';
import type { EventEnvelope } from '@remote-help/events';

/**
 * Checks the `data` of the events reporting-service consumes, before they touch its tables.
 * An envelope that does not parse never gets here (libs/events sends it to the dead-letter
 * topic); a well-formed event whose data is wrong for this service is refused with a
 * RejectedEventError saying why, and set aside in `rejected_events` (retrying would never help).
 */
export class RejectedEventError extends Error {
  override readonly name = 'RejectedEventError';
}

type Obj = Record<string, unknown>;

const MODES = Object.values(SessionMode) as string[];
const STATES = Object.values(SessionState) as string[];
const END_REASONS = Object.values(EndReason) as string[];
/** Longest texts kept; longer ones are cut (a record is worth more than a complete reason). */
export const MAX_REASON = 2000;
export const MAX_DETAILS = 8000;
const MAX_SHORT = 500;

function obj(v: unknown, what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RejectedEventError(`${what} must be an object`);
  return v as Obj;
}
function uuid(o: Obj, f: string): string {
  if (!isUuid(o[f])) throw new RejectedEventError(`${f} must be a UUID, got ${show(o[f])}`);
  return (o[f] as string).toLowerCase();
}
function optUuid(o: Obj, f: string): string | null {
  return o[f] === null || o[f] === undefined ? null : uuid(o, f);
}
function bool(o: Obj, f: string): boolean {
  if (typeof o[f] !== 'boolean') throw new RejectedEventError(`${f} must be a boolean, got ${show(o[f])}`);
  return o[f] as boolean;
}
function text(o: Obj, f: string, max: number): string {
  const v = o[f];
  if (typeof v !== 'string' || v.trim().length === 0) throw new RejectedEventError(`${f} must be a non-empty string, got ${show(v)}`);
  return v.slice(0, max);
}
function optText(o: Obj, f: string, max: number): string | null {
  const v = o[f];
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') throw new RejectedEventError(`${f} must be a string or null, got ${show(v)}`);
  return v.slice(0, max);
}
function oneOf<T extends string>(o: Obj, f: string, values: readonly string[]): T {
  if (!values.includes(o[f] as string)) throw new RejectedEventError(`${f} must be one of ${values.join(', ')}, got ${show(o[f])}`);
  return o[f] as T;
}
/** Times PostgreSQL and JavaScript agree on, within years 1970 to 9999. */
export function parseTime(v: unknown, f: string): Date {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(v)) throw new RejectedEventError(`${f} must be an ISO 8601 time, got ${show(v)}`);
  const d = new Date(v);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 9999) throw new RejectedEventError(`${f} is not a valid time: ${show(v)}`);
  return d;
}
function time(o: Obj, f: string): Date {
  return parseTime(o[f], f);
}
function optTime(o: Obj, f: string): Date | null {
  return o[f] === null || o[f] === undefined ? null : time(o, f);
}
function version(o: Obj): number {
  const v = o['version'];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 2_147_483_647) throw new RejectedEventError(`version must be an integer from 1, got ${show(v)}`);
  return v;
}
function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
/** The envelope's tenant must be a UUID, and the data's tenant when the data names one. */
export function envelopeTenant(event: EventEnvelope): string {
  if (!isUuid(event.tenantId)) throw new RejectedEventError(`the event's tenantId must be a UUID, got ${show(event.tenantId)}`);
  return event.tenantId.toLowerCase();
}
function sameTenant(event: EventEnvelope, dataTenantId: string): string {
  const tenantId = envelopeTenant(event);
  if (tenantId !== dataTenantId) throw new RejectedEventError(`the event's tenantId ${tenantId} is not the data's ${dataTenantId}`);
  return tenantId;
}

/** A session as one lifecycle event tells it (SessionFacts, libs/events contracts/session-events.ts). */
export interface SessionFactsData {
  sessionId: string;
  tenantId: string;
  helperId: string;
  sharerId: string | null;
  deviceId: string;
  platform: string;
  deviceEnrolled: boolean;
  requestedMode: SessionMode;
  mode: SessionMode;
  state: SessionState;
  elevated: boolean;
  chatEnabled: boolean;
  chatUsed: boolean;
  reason: string | null;
  requestedAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  endReason: EndReason | null;
  version: number;
}

export function parseSessionFacts(event: EventEnvelope): SessionFactsData {
  if (!event.type.startsWith('session.')) throw new RejectedEventError(`${event.type} is not a session lifecycle event`);
  const o = obj(event.data, 'data');
  const f: SessionFactsData = {
    sessionId: uuid(o, 'sessionId'),
    tenantId: uuid(o, 'tenantId'),
    helperId: uuid(o, 'helperId'),
    sharerId: optUuid(o, 'sharerId'),
    deviceId: uuid(o, 'deviceId'),
    platform: typeof o['platform'] === 'string' ? (o['platform'] as string).slice(0, 50) : 'OTHER',
    deviceEnrolled: bool(o, 'deviceEnrolled'),
    requestedMode: oneOf(o, 'requestedMode', MODES),
    mode: oneOf(o, 'mode', MODES),
    state: oneOf(o, 'state', STATES),
    elevated: bool(o, 'elevated'),
    chatEnabled: typeof o['chatEnabled'] === 'boolean' ? (o['chatEnabled'] as boolean) : true,
    chatUsed: bool(o, 'chatUsed'),
    reason: optText(o, 'reason', MAX_REASON),
    requestedAt: time(o, 'requestedAt'),
    startedAt: optTime(o, 'startedAt'),
    endedAt: optTime(o, 'endedAt'),
    endReason: o['endReason'] === null || o['endReason'] === undefined ? null : oneOf<EndReason>(o, 'endReason', END_REASONS),
    version: version(o),
  };
  sameTenant(event, f.tenantId);
  if (f.state === SessionState.ACTIVE && !f.startedAt) throw new RejectedEventError('an ACTIVE session must have startedAt');
  return f;
}

/** One line of the audit log (AuditRecord, libs/events audit-event.ts). */
export interface AuditData {
  id: string;
  tenantId: string;
  occurredAt: Date;
  source: string;
  actorId: string | null;
  actorKind: 'user' | 'device' | 'service' | 'system';
  category: string;
  activity: string;
  targetId: string | null;
  result: 'Success' | 'Failure';
  details: string | null;
}

const ACTOR_KINDS = ['user', 'device', 'service', 'system'];

/** What an audit line takes from its event's envelope: the event's id, tenant, time and source. */
function auditEnvelope(event: EventEnvelope): Pick<AuditData, 'id' | 'tenantId' | 'occurredAt' | 'source'> {
  return { id: event.id.toLowerCase(), tenantId: envelopeTenant(event), occurredAt: parseTime(event.time, 'time'), source: event.source.slice(0, 100) };
}

export function parseAuditRecord(event: EventEnvelope): AuditData {
  const envelope = auditEnvelope(event);
  const o = obj(event.data, 'data');
  const actorId = optText(o, 'actorId', MAX_SHORT);
  const actorKind = o['actorKind'] === undefined || o['actorKind'] === null ? (actorId ? 'user' : 'system') : oneOf<AuditData['actorKind']>(o, 'actorKind', ACTOR_KINDS);
  return {
    ...envelope,
    actorId,
    actorKind,
    category: text(o, 'category', 200),
    activity: text(o, 'activity', MAX_SHORT),
    targetId: optText(o, 'targetId', MAX_SHORT),
    result: oneOf(o, 'result', ['Success', 'Failure']),
    details: optText(o, 'details', MAX_DETAILS),
  };
}

/**
 * The audit log line a lifecycle event carries (SessionFacts.audit), as an audit event would
 * give it: under the lifecycle event's id, time and source, with the data's `actorId` as the
 * actor, the session as the target and the result Success. null when the event carries none
 * (events written before the line travelled with them: their audit events are on the audit topic).
 */
export function parseTransitionAudit(event: EventEnvelope): AuditData | null {
  const o = obj(event.data, 'data');
  if (o['audit'] === undefined || o['audit'] === null) return null;
  const a = obj(o['audit'], 'audit');
  return {
    ...auditEnvelope(event),
    actorId: optText(o, 'actorId', MAX_SHORT),
    actorKind: oneOf<AuditData['actorKind']>(a, 'actorKind', ACTOR_KINDS),
    category: text(a, 'category', 200),
    activity: text(a, 'activity', MAX_SHORT),
    targetId: uuid(o, 'sessionId'),
    result: 'Success',
    details: optText(a, 'details', MAX_DETAILS),
  };
}

/** What reporting keeps of a user (UserSnapshot of user.upserted / license.assigned): a name to show. */
export interface UserNameData {
  id: string;
  tenantId: string;
  userPrincipalName: string;
  displayName: string;
  version: number;
}

export function parseUserName(event: EventEnvelope): UserNameData {
  const o = obj(event.data, 'data');
  const u: UserNameData = {
    id: uuid(o, 'id'),
    tenantId: uuid(o, 'tenantId'),
    userPrincipalName: text(o, 'userPrincipalName', MAX_SHORT),
    displayName: optText(o, 'displayName', MAX_SHORT) ?? '',
    version: version(o),
  };
  sameTenant(event, u.tenantId);
  return u;
}
