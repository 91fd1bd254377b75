import * as fc from 'fast-check';
import { createEvent, type EventEnvelope } from '../event-envelope';
import { TOPICS } from '../topics';
import { auditEvent } from '../audit-event';
import { eventDataJsonSchema } from './catalogue-document';
import { buildEvent, EVENT_CATALOGUE, EVENT_TYPES, EventContractError, type EventType, isEventOf, parseEvent, parseEventData } from './event-catalogue';
import type { DeviceSnapshot, SettingsSnapshot, UserSnapshot } from './directory-events';
import { SESSION_EVENTS, type SessionFacts } from './session-events';

const T = '11111111-1111-4111-8111-111111111111';
const OTHER = '99999999-9999-4999-8999-999999999999';
const U = '22222222-2222-4222-8222-222222222222';
const G = '33333333-3333-4333-8333-333333333333';
const D = '44444444-4444-4444-8444-444444444444';
const S = '55555555-5555-4555-8555-555555555555';

const facts: SessionFacts = {
  sessionId: S,
  tenantId: T,
  helperId: U,
  sharerId: null,
  deviceId: D,
  platform: 'WINDOWS',
  deviceEnrolled: true,
  requestedMode: 'VIEW_ONLY',
  mode: 'VIEW_ONLY',
  state: 'ACTIVE',
  elevated: false,
  chatEnabled: true,
  chatUsed: false,
  reason: 'INC-1',
  requestedAt: '2026-01-01T10:00:00.000Z',
  startedAt: '2026-01-01T10:00:30.000Z',
  endedAt: null,
  endReason: null,
  actorId: U,
  version: 3,
  audit: { category: 'RemoteHelp', activity: 'Start remote help session', actorKind: 'user', details: 'state=ACTIVE' },
};
const user: UserSnapshot = {
  id: U,
  tenantId: T,
  userPrincipalName: 'ada@contoso.com',
  displayName: 'Ada',
  givenName: 'Ada',
  surname: null,
  jobTitle: null,
  companyName: 'Contoso',
  profilePictureUrl: null,
  licenses: [{ kind: 'REMOTE_HELP_ADDON', activeFrom: '2026-01-01T00:00:00.000Z', expiresAt: null }],
  version: 3,
};
const device: DeviceSnapshot = {
  id: D,
  tenantId: T,
  displayName: 'PC-1',
  platform: 'WINDOWS',
  osVersion: '10.0.22631',
  manufacturer: null,
  enrolled: true,
  entraRegistered: true,
  compliance: 'COMPLIANT',
  primaryUserId: U,
  version: 1,
};
const settings: SettingsSnapshot = { tenantId: T, cloud: 'COMMERCIAL', remoteHelpEnabled: true, allowUnenrolledDevices: false, chatDisabled: false, requireReason: false, updatedAt: null, updatedBy: null, version: 1 };

/** An event as it arrives (not built through the catalogue, so that anything can be in it). */
const arriving = (type: string, data: unknown, over: Partial<EventEnvelope> = {}) => ({ ...createEvent({ type, source: 'test', tenantId: T, subject: T, data }), ...over });

const reasonOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EventContractError);
    return (e as EventContractError).reason;
  }
  throw new Error('expected an EventContractError');
};

describe('the event catalogue', () => {
  it('has a contract for every event type the services use, each on a topic of its aggregate', () => {
    expect(EVENT_TYPES).toHaveLength(27);
    for (const type of Object.values(SESSION_EVENTS)) expect(EVENT_CATALOGUE[type].topic).toBe(TOPICS.session);
    expect(EVENT_CATALOGUE['audit.recorded'].topic).toBe(TOPICS.audit);
    for (const type of EVENT_TYPES) expect(EVENT_CATALOGUE[type].version).toBe(1);
  });
});

describe('parseEvent (the one parse of every consumer)', () => {
  it('returns the event with its data parsed: ids in lower case, times in UTC, fields it does not know dropped', () => {
    const e = arriving('session.started', { ...facts, helperId: U.toUpperCase(), requestedAt: '2026-01-01T11:00:00+01:00', extra: 'x' });
    const parsed = parseEvent(e, TOPICS.session);
    expect(parsed).toEqual({ ...e, data: facts });
  });

  it('fills in what older producers left out (documented in the schema)', () => {
    const { chatEnabled: _c, audit: _a, ...older } = facts;
    const parsed = parseEvent(arriving('session.started', older));
    expect(isEventOf(parsed, 'session.started') && parsed.data).toEqual({ ...older, chatEnabled: true });
    const tenant = { tenantId: T, displayName: 'Contoso', cloud: 'GCC', adminUserId: U };
    expect(parseEvent(arriving('tenant.created', tenant)).data).toEqual({ ...tenant, verifiedDomains: [], adminGroupId: null });
    // an audit line without actorKind: `user` when there is an actor, else `system`
    const line = { actorId: U, category: 'Role', activity: 'Create role', targetId: G, result: 'Success' };
    expect(parseEvent(arriving('audit.recorded', line)).data).toEqual({ ...line, actorKind: 'user' });
    expect(parseEvent(arriving('audit.recorded', { ...line, actorId: null })).data).toEqual({ ...line, actorId: null, actorKind: 'system' });
    expect(parseEvent(arriving('audit.recorded', { ...line, actorKind: 'service' })).data).toEqual({ ...line, actorKind: 'service' });
  });

  it.each<[string, string, unknown, string]>([
    ['no sessionId', 'session.started', { ...facts, sessionId: undefined }, 'session.started: sessionId: must be a UUID'],
    ['a bad sessionId', 'session.started', { ...facts, sessionId: 'abc' }, 'session.started: sessionId: must be a UUID'],
    ['an unknown state', 'session.started', { ...facts, state: 'PAUSED' }, 'session.started: state: Invalid option: expected one of "WAITING_FOR_SHARER"|"PENDING_CONSENT"|"ACTIVE"|"DECLINED"|"EXPIRED"|"ENDED"'],
    ['an unknown mode', 'session.started', { ...facts, requestedMode: 'GOD_MODE' }, 'session.started: requestedMode: Invalid option: expected one of "VIEW_ONLY"|"FULL_CONTROL"|"UNATTENDED"'],
    ['a bad time', 'session.started', { ...facts, requestedAt: 'yesterday' }, 'session.started: requestedAt: must be an ISO 8601 time with a time zone'],
    ['a time out of range', 'session.started', { ...facts, requestedAt: '1969-12-31T23:59:59Z' }, 'session.started: requestedAt: must be a time between the years 1970 and 9999'],
    ['a version of 0', 'session.started', { ...facts, version: 0 }, 'session.started: version: Too small: expected number to be >=1'],
    ['a version too large', 'session.started', { ...facts, version: 2 ** 40 }, 'session.started: version: Too big: expected number to be <=2147483647'],
    ['ACTIVE without startedAt', 'session.started', { ...facts, startedAt: null }, 'session.started: startedAt: an ACTIVE session must have startedAt'],
    ['data that is not an object', 'session.started', [1, 2], 'session.started: data: Invalid input: expected object, received array'],
    ['a malformed audit line', 'session.started', { ...facts, audit: { ...facts.audit, actorKind: 'robot' } }, 'session.started: audit.actorKind: Invalid option: expected one of "user"|"device"|"service"|"system"'],
    ['a blank audit activity', 'session.started', { ...facts, audit: { ...facts.audit, activity: ' ' } }, 'session.started: audit.activity: must be a non-empty text'],
    [
      'an unknown licence kind',
      'user.upserted',
      { ...user, licenses: [{ kind: 'E5', activeFrom: '2026-01-01T00:00:00Z', expiresAt: null }] },
      'user.upserted: licenses.0.kind: Invalid option: expected one of "REMOTE_HELP_ADDON"|"INTUNE_SUITE"',
    ],
    ['an unknown platform', 'device.upserted', { ...device, platform: 'LINUX' }, 'device.upserted: platform: Invalid option: expected one of "WINDOWS"|"WINDOWS_ARM64"|"WINDOWS_365"|"ANDROID_DEDICATED"|"MACOS"|"OTHER"'],
    ['an unknown member kind', 'group.created', { id: G, tenantId: T, displayName: 'Helpers', memberKind: 'PEOPLE' }, 'group.created: memberKind: Invalid option: expected one of "USERS"|"DEVICES"|"MIXED"'],
    ['a member that is no id', 'group.members.added', { groupId: G, tenantId: T, userIds: ['nope'], deviceIds: [] }, 'group.members.added: userIds.0: must be a UUID'],
    ['a settings version of 1.5', 'tenant.settings.updated', { ...settings, version: 1.5 }, 'tenant.settings.updated: version: Invalid input: expected int, received number'],
    ['an audit record without category', 'audit.recorded', { actorId: null, activity: 'x', targetId: null, result: 'Success' }, 'audit.recorded: category: must be a non-empty text'],
    [
      'an audit result it does not know',
      'audit.recorded',
      { actorId: null, category: 'Role', activity: 'x', targetId: null, result: 'Maybe' },
      'audit.recorded: result: Invalid option: expected one of "Success"|"Failure"',
    ],
  ])('refuses %s, saying so', (_what, type, data, reason) => {
    expect(reasonOf(() => parseEvent(arriving(type, data)))).toBe(reason);
  });

  it("refuses data of another tenant than the event's, an envelope tenant that is no UUID, and an event off its topic", () => {
    expect(reasonOf(() => parseEvent(arriving('user.upserted', user, { tenantId: OTHER })))).toBe(`user.upserted: the event's tenantId ${OTHER} is not the data's ${T}`);
    expect(reasonOf(() => parseEvent(arriving('user.upserted', user, { tenantId: 'tenant-1' })))).toBe(`user.upserted: the event's tenantId must be a UUID, got "tenant-1"`);
    expect(reasonOf(() => parseEvent(arriving('user.upserted', user), TOPICS.session))).toBe('user.upserted belongs on the topic remote-help.tenant.v1, not on remote-help.session.v1');
  });

  it('refuses an event type it does not know, and a version it has no schema for', () => {
    expect(reasonOf(() => parseEvent(arriving('chat.message', {})))).toBe('unknown event type "chat.message"');
    expect(reasonOf(() => parseEvent(arriving('user.upserted', user, { version: 2 })))).toBe('user.upserted: no schema for version 2 (this consumer knows version 1)');
  });

  it('accepts a UUID tenant in any case (ids are compared in lower case)', () => {
    expect(parseEvent(arriving('user.upserted', { ...user, tenantId: T.toUpperCase() }, { tenantId: T.toUpperCase() })).data).toEqual(user);
  });
});

describe('buildEvent (the one way producers make events)', () => {
  it('makes the envelope with the contract version and the data as consumers will parse it', () => {
    const e = buildEvent('device.upserted', { source: 'tenant-service', tenantId: T, subject: D, data: { ...device, id: D.toUpperCase() } });
    expect(e).toMatchObject({ type: 'device.upserted', version: 1, source: 'tenant-service', tenantId: T, subject: D, data: device });
    expect(parseEvent(JSON.parse(JSON.stringify(e)), TOPICS.tenant)).toEqual(e);
  });

  it('refuses data that does not fit the contract, before anything is written', () => {
    expect(() => buildEvent('group.created', { source: 'tenant-service', tenantId: T, subject: G, data: { id: G, tenantId: T, displayName: 'x', memberKind: 'PEOPLE' as never } })).toThrow(
      new EventContractError('group.created: memberKind: Invalid option: expected one of "USERS"|"DEVICES"|"MIXED"'),
    );
  });

  it("refuses data of another tenant than the event's (checkEventTenant, as parseEvent would)", () => {
    expect(() => buildEvent('user.upserted', { source: 'tenant-service', tenantId: OTHER, subject: U, data: user })).toThrow(new EventContractError(`user.upserted: the event's tenantId ${OTHER} is not the data's ${T}`));
    expect(buildEvent('user.upserted', { source: 'tenant-service', tenantId: T.toUpperCase(), subject: U, data: user }).data).toEqual(user);
  });

  it('makes audit events through the audit contract', () => {
    const e = auditEvent({ source: 'rbac-service', tenantId: T, actorId: U, category: 'Role', activity: 'Create role', targetId: G, result: 'Success' });
    expect(parseEvent(JSON.parse(JSON.stringify(e)), TOPICS.audit)).toEqual(e);
    expect(() => auditEvent({ source: 'rbac-service', tenantId: T, actorId: U, category: ' ', activity: 'Create role', targetId: G, result: 'Success' })).toThrow(EventContractError);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: any payload that parses survives a round trip (JSON and a second parse) unchanged.
// The payloads are drawn from each event's published JSON Schema (the same the catalogue
// documents), with ids in either case and times with offsets, so that the parse has work to do.

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
};

const anyCase = (s: string) => fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((up) => [...s].map((ch, i) => (up[i] ? ch.toUpperCase() : ch)).join(''));
const isoTime = fc.tuple(fc.date({ min: new Date('1970-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: -14, max: 14 })).map(([d, h]) => {
  if (h === 0) return d.toISOString();
  const local = new Date(d.getTime() + h * 3_600_000).toISOString().slice(0, 23);
  return `${local}${h < 0 ? '-' : '+'}${String(Math.abs(h)).padStart(2, '0')}:00`;
});

function arbitraryOf(s: JsonSchema): fc.Arbitrary<unknown> {
  if (s.anyOf) return fc.oneof(...s.anyOf.map(arbitraryOf));
  if (Array.isArray(s.type)) return fc.oneof(...s.type.map((type) => arbitraryOf({ ...s, type })));
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: Math.max(s.minimum ?? -1e6, -1e6), max: Math.min(s.maximum ?? 1e6, 2_147_483_647) });
    case 'string':
      // mostly what the format says (ids in either case, times with offsets), now and then anything
      if (s.format === 'uuid') return fc.oneof({ weight: 9, arbitrary: fc.uuid().chain(anyCase) }, { weight: 1, arbitrary: fc.string() });
      if (s.format === 'date-time') return fc.oneof({ weight: 9, arbitrary: isoTime }, { weight: 1, arbitrary: fc.string() });
      return fc.string({ minLength: s.minLength ?? 0, maxLength: 20 });
    case 'array':
      return fc.array(arbitraryOf(s.items!), { maxLength: 4 });
    case 'object': {
      const props = s.properties ?? {};
      return fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, arbitraryOf(v)])), { requiredKeys: (s.required ?? []) as never[] });
    }
    default:
      throw new Error(`no arbitrary for ${JSON.stringify(s)}`);
  }
}

describe('round trip', () => {
  it.each(EVENT_TYPES.map((t): [EventType] => [t]))('any %s payload that parses comes back the same through JSON and a second parse', (type: EventType) => {
    const data = arbitraryOf(eventDataJsonSchema(type) as JsonSchema);
    let parsedAtLeastOnce = false;
    fc.assert(
      fc.property(data, (input) => {
        let once: unknown;
        try {
          once = parseEventData(type, input);
        } catch (e) {
          if (e instanceof EventContractError) return; // refused: nothing to carry
          throw e;
        }
        parsedAtLeastOnce = true;
        expect(parseEventData(type, JSON.parse(JSON.stringify(once)))).toEqual(once);
      }),
      { numRuns: 200 },
    );
    expect(parsedAtLeastOnce).toBe(true);
  });
});
