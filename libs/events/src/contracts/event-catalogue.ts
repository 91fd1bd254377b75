import { isUuid } from '@remote-help/domain';
import type { z } from 'zod';
import { createEvent, type EventEnvelope } from '../event-envelope';
import { TOPICS, type TopicBase } from '../topics';
import { AUDIT_EVENT_TYPE, AuditRecordSchema } from './audit-events';
import { DeviceSnapshotSchema, DIRECTORY_EVENTS, GroupCreatedSchema, GroupMembersChangedSchema, SettingsSnapshotSchema, TenantCreatedSchema, UserSnapshotSchema } from './directory-events';
import { RBAC_EVENTS, RoleAssignmentSnapshotSchema, RoleSnapshotSchema } from './rbac-events';
import { ActiveSessionCountSchema, REPORTING_EVENTS } from './reporting-events';
import { SESSION_EVENTS, SessionFactsSchema } from './session-events';

/**
 * The event catalogue: every event type of the system with its topic, the schema version of its
 * `data`, the schema itself (zod), what its Kafka key (the envelope's `subject`) is, and what it
 * says. Producers build their events through {@link buildEvent}, consumers read them through
 * {@link parseEvent}; docs/events (JSON Schema and AsyncAPI) are generated from it
 * (`npm run events:catalogue`).
 */
interface EventContract<S extends z.ZodType = z.ZodType> {
  topic: TopicBase;
  /** The schema version of `data` (the envelope's `version`). */
  version: number;
  schema: S;
  /** What the Kafka key (the envelope's `subject`) is. */
  key: string;
  summary: string;
}

const contract = <S extends z.ZodType>(topic: TopicBase, schema: S, key: string, summary: string): EventContract<S> => ({ topic, version: 1, schema, key, summary });

const session = (summary: string) => contract(TOPICS.session, SessionFactsSchema, 'the session id', `${summary} The data is the whole session after the transition, with the transition's audit line.`);
const role = (summary: string) => contract(TOPICS.rbac, RoleSnapshotSchema, 'the role id', summary);
const assignment = (summary: string) => contract(TOPICS.rbac, RoleAssignmentSnapshotSchema, 'the role assignment id', summary);

export const EVENT_CATALOGUE = {
  [DIRECTORY_EVENTS.tenantCreated]: contract(TOPICS.tenant, TenantCreatedSchema, 'the tenant id', 'A tenant was created, with its first administrator and the group that holds the admin role.'),
  [DIRECTORY_EVENTS.settingsUpdated]: contract(TOPICS.tenant, SettingsSnapshotSchema, 'the tenant id', "The tenant's Remote Help settings changed (a snapshot; apply it only when its version is newer)."),
  [DIRECTORY_EVENTS.userUpserted]: contract(TOPICS.tenant, UserSnapshotSchema, 'the user id', 'A user was created or changed (a snapshot with all of their licences).'),
  [DIRECTORY_EVENTS.licenseAssigned]: contract(TOPICS.tenant, UserSnapshotSchema, 'the user id', 'A licence was assigned to a user (the same snapshot as user.upserted).'),
  [DIRECTORY_EVENTS.deviceUpserted]: contract(TOPICS.tenant, DeviceSnapshotSchema, 'the device id', 'A device was created or changed (a snapshot).'),
  [DIRECTORY_EVENTS.groupCreated]: contract(TOPICS.tenant, GroupCreatedSchema, 'the group id', 'A group was created.'),
  [DIRECTORY_EVENTS.groupMembersAdded]: contract(TOPICS.tenant, GroupMembersChangedSchema, 'the group id', 'Members were added to a group (only the new ones).'),
  [DIRECTORY_EVENTS.groupMembersRemoved]: contract(TOPICS.tenant, GroupMembersChangedSchema, 'the group id', 'Members were removed from a group (only those that were in it).'),
  [RBAC_EVENTS.roleCreated]: role('A role was created.'),
  [RBAC_EVENTS.roleUpdated]: role('A role was changed.'),
  [RBAC_EVENTS.roleDeleted]: role('A role was deleted (the role as it was).'),
  [RBAC_EVENTS.assignmentCreated]: assignment('A role assignment was created.'),
  [RBAC_EVENTS.assignmentUpdated]: assignment('A role assignment was changed.'),
  [RBAC_EVENTS.assignmentDeleted]: assignment('A role assignment was deleted (the assignment as it was).'),
  [SESSION_EVENTS.requested]: session('A helper requested a session.'),
  [SESSION_EVENTS.joined]: session('The sharer joined the session with its code.'),
  [SESSION_EVENTS.started]: session('The session started (the sharer consented, or an unattended session began).'),
  [SESSION_EVENTS.declined]: session('The sharer declined the session.'),
  [SESSION_EVENTS.controlRequested]: session('The helper asked for full control; the sharer is asked for a second consent.'),
  [SESSION_EVENTS.controlRequestDeclined]: session('The sharer refused full control; the session stays view-only.'),
  [SESSION_EVENTS.controlChanged]: session('The control mode changed.'),
  [SESSION_EVENTS.elevated]: session('The session was elevated.'),
  [SESSION_EVENTS.chatUsed]: session('Chat was used in the session (once; chat text is never in an event).'),
  [SESSION_EVENTS.ended]: session('The session ended.'),
  [SESSION_EVENTS.expired]: session('The session expired (its code or a consent timed out).'),
  [AUDIT_EVENT_TYPE]: contract(TOPICS.audit, AuditRecordSchema, "the target's id, or the tenant id when there is none", 'One line of the audit log: who did what to which target, and whether it worked.'),
  [REPORTING_EVENTS.activeSessionCountChanged]: contract(TOPICS.reporting, ActiveSessionCountSchema, 'the tenant id', "The tenant's number of active sessions changed (one event per change, in order per tenant)."),
} as const satisfies Record<string, EventContract>;

type EventCatalogue = typeof EVENT_CATALOGUE;
export type EventType = keyof EventCatalogue;
/** The `data` of an event type as consumers get it from {@link parseEvent} (the schema's output: its defaults filled in). */
export type EventData<T extends EventType> = z.output<EventCatalogue[T]['schema']>;
/** The `data` of an event type as producers give it to {@link buildEvent} (the schema's input: fields it has a default for may be left out). */
export type EventInput<T extends EventType> = z.input<EventCatalogue[T]['schema']>;
/** An event of one type (or of one of several types), its data parsed. */
export type EventOf<T extends EventType> = { [K in T]: EventEnvelope<EventData<K>> & { type: K } }[T];
/** Any event of the catalogue, its data parsed: `switch (event.type)` narrows `data`. */
export type CatalogueEvent = EventOf<EventType>;

export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as EventType[];

/** Whether `type` is an event type of the catalogue. */
function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_CATALOGUE, type);
}

/**
 * Why an event does not fit its contract (unknown type or version, data that does not parse, a
 * tenant that is not the data's). A consumer sends such an event to the dead-letter topic with
 * `reason` (IdempotentConsumer), or logs and skips it (the gateway's per-instance live feed).
 */
export class EventContractError extends Error {
  override readonly name = 'EventContractError';
  constructor(readonly reason: string) {
    super(`Event does not fit its contract: ${reason}`);
  }
}

/** A zod error as one line: each problem with where it is (`audit.actorKind: ...`). */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : 'data'}: ${i.message}`)
    .join('; ');
}

/** The data of an event of `type` checked against its schema (throws EventContractError). */
export function parseEventData<T extends EventType>(type: T, data: unknown): EventData<T> {
  let result: z.ZodSafeParseResult<unknown>;
  try {
    result = (EVENT_CATALOGUE[type].schema as z.ZodType).safeParse(data);
  } catch (e) {
    // A check that threw: the event can never be read, and must not be retried forever.
    throw new EventContractError(`${type}: data could not be checked (${(e as Error).message})`);
  }
  if (!result.success) throw new EventContractError(`${type}: ${describeIssues(result.error)}`);
  return result.data as EventData<T>;
}

/**
 * The one parse of every consumer: an event (its envelope already checked, see parseEnvelope)
 * checked against its contract: a known type, on its topic (`topic`, the base name it was read
 * from, when given), the version its schema has, `data` that parses (ids in lower case, times in
 * UTC, defaults of older events filled in), the envelope's tenant a UUID and the data's tenant
 * when the data names one. Returns the event with the parsed data; throws
 * {@link EventContractError} with the reason.
 */
export function parseEvent(event: EventEnvelope, topic?: string): CatalogueEvent {
  const { type } = event;
  if (!isEventType(type)) throw new EventContractError(`unknown event type "${type}"`);
  const c = EVENT_CATALOGUE[type];
  if (topic !== undefined && topic !== c.topic) throw new EventContractError(`${type} belongs on the topic ${c.topic}, not on ${topic}`);
  if (event.version !== c.version) throw new EventContractError(`${type}: no schema for version ${event.version} (this consumer knows version ${c.version})`);
  if (!isUuid(event.tenantId)) throw new EventContractError(`${type}: the event's tenantId must be a UUID, got ${JSON.stringify(event.tenantId)}`);
  const data = parseEventData(type, event.data);
  checkEventTenant(type, event.tenantId, data);
  return { ...event, data } as CatalogueEvent;
}

/**
 * The one check that an event's tenant (the envelope's `tenantId`) is the tenant its parsed data
 * names, when the data names one (ids compared in lower case, as they are kept). Throws
 * {@link EventContractError}. parseEvent and buildEvent run it on every event; so does whatever
 * applies event data that did not come in an event (rbac-service's `bootstrap-tenant`).
 */
export function checkEventTenant<T extends EventType>(type: T, tenantId: string, data: EventData<T>): void {
  const dataTenant = (data as { tenantId?: string }).tenantId;
  if (dataTenant !== undefined && dataTenant !== tenantId.toLowerCase()) {
    throw new EventContractError(`${type}: the event's tenantId ${tenantId} is not the data's ${dataTenant}`);
  }
}

/**
 * Narrows an event that has been through {@link parseEvent} (every handler of an
 * IdempotentConsumer gets only such events) to the given types; checks the type only.
 */
export function isEventOf<T extends EventType>(event: EventEnvelope, ...types: T[]): event is EventOf<T> {
  return (types as string[]).includes(event.type);
}

/**
 * The one way a producer makes an event: the envelope (fresh id, the contract's version) with
 * `data` checked against the type's schema and the envelope's tenant (a producer's mistake throws
 * EventContractError here, before anything is written).
 */
export function buildEvent<T extends EventType>(type: T, e: { source: string; tenantId: string; subject: string; data: EventInput<T>; time?: Date }): EventOf<T> {
  const data = parseEventData(type, e.data);
  checkEventTenant(type, e.tenantId, data);
  return createEvent({ type, version: EVENT_CATALOGUE[type].version, source: e.source, tenantId: e.tenantId, subject: e.subject, data, time: e.time }) as EventOf<T>;
}

/**
 * The envelope of an event whose data a statement completes in SQL (session-service's one-
 * statement writes): type and version from the catalogue, `data` null until then. The SQL that
 * completes it is held to the schema by tests (session-service's session-sql).
 */
export function eventEnvelopeFor(type: EventType, e: { source: string; tenantId: string; subject: string; time?: Date }): EventEnvelope<null> {
  return createEvent({ type, version: EVENT_CATALOGUE[type].version, source: e.source, tenantId: e.tenantId, subject: e.subject, data: null, time: e.time });
}
