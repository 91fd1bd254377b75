import { createEvent, auditEvent, SESSION_EVENTS, type SessionFacts, type UserSnapshot } from '@remote-help/events';
import { parseAuditRecord, parseSessionFacts, parseTransitionAudit, parseUserName, RejectedEventError } from './event-data';

const TENANT = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const SESSION = '33333333-3333-4333-8333-333333333333';
const HELPER = '44444444-4444-4444-8444-444444444444';
const DEVICE = '55555555-5555-4555-8555-555555555555';

function facts(over: Partial<SessionFacts> = {}): SessionFacts {
  return {
    sessionId: SESSION,
    tenantId: TENANT,
    helperId: HELPER,
    sharerId: null,
    deviceId: DEVICE,
    platform: 'ANDROID_DEDICATED',
    deviceEnrolled: true,
    requestedMode: 'UNATTENDED',
    mode: 'UNATTENDED',
    state: 'ACTIVE',
    elevated: false,
    chatEnabled: true,
    chatUsed: false,
    reason: 'INC-1',
    requestedAt: '2026-01-01T10:00:00.000Z',
    startedAt: '2026-01-01T10:00:30.000Z',
    endedAt: null,
    endReason: null,
    actorId: null,
    version: 3,
    ...over,
  };
}
const sessionEvent = (data: unknown, tenantId = TENANT, type: string = SESSION_EVENTS.started) =>
  createEvent({ type, source: 'session-service', tenantId, subject: SESSION, data });

const rejected = (fn: () => unknown, reason: RegExp) => {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(RejectedEventError);
  expect((error as Error).message).toMatch(reason);
};

describe('parseSessionFacts', () => {
  it('reads SessionFacts into typed data (times as Dates)', () => {
    const f = parseSessionFacts(sessionEvent(facts()));
    expect(f).toMatchObject({ sessionId: SESSION, tenantId: TENANT, sharerId: null, requestedMode: 'UNATTENDED', state: 'ACTIVE', version: 3, reason: 'INC-1' });
    expect(f.startedAt).toEqual(new Date('2026-01-01T10:00:30.000Z'));
    expect(f.endedAt).toBeNull();
  });

  it('lower-cases ids', () => {
    expect(parseSessionFacts(sessionEvent(facts({ helperId: HELPER.toUpperCase() }))).helperId).toBe(HELPER);
  });

  it('cuts an over-long reason rather than losing the record', () => {
    expect(parseSessionFacts(sessionEvent(facts({ reason: 'x'.repeat(5000) }))).reason).toHaveLength(2000);
  });

  it.each<[string, unknown, RegExp]>([
    ['no sessionId', { ...facts(), sessionId: undefined }, /sessionId must be a UUID, got nothing/],
    ['a bad sessionId', facts({ sessionId: 'abc' }), /sessionId must be a UUID/],
    ['an unknown state', facts({ state: 'PAUSED' as never }), /state must be one of/],
    ['an unknown mode', facts({ requestedMode: 'GOD_MODE' as never }), /requestedMode must be one of/],
    ['a bad time', facts({ requestedAt: 'yesterday' }), /requestedAt must be an ISO 8601 time/],
    ['a time out of range', facts({ requestedAt: '+275000-01-01T00:00:00Z' }), /requestedAt must be an ISO 8601 time/],
    ['a version of 0', facts({ version: 0 }), /version must be an integer/],
    ['a version too large', facts({ version: 2 ** 40 }), /version must be an integer/],
    ['ACTIVE without startedAt', facts({ startedAt: null }), /ACTIVE session must have startedAt/],
    ['data that is not an object', [1, 2], /data must be an object/],
  ])('refuses %s', (_what, data, reason) => {
    rejected(() => parseSessionFacts(sessionEvent(data)), reason);
  });

  it("refuses data of another tenant than the event's", () => {
    rejected(() => parseSessionFacts(sessionEvent(facts(), OTHER)), /is not the data's/);
  });

  it('refuses an event of the topic that is not a session event', () => {
    rejected(() => parseSessionFacts(sessionEvent(facts(), TENANT, 'chat.message')), /not a session lifecycle event/);
  });

  it('refuses an envelope tenant that is not a UUID', () => {
    rejected(() => parseSessionFacts(sessionEvent(facts(), 'tenant-1')), /tenantId must be a UUID/);
  });
});

describe('parseTransitionAudit', () => {
  const line = { category: 'RemoteHelp', activity: 'Start remote help session', actorKind: 'user', details: 'state=ACTIVE mode=UNATTENDED' };

  it('reads the audit line a lifecycle event carries, under the event\'s id, time and source, the session as target', () => {
    const e = sessionEvent(facts({ actorId: HELPER, audit: line as never }));
    expect(parseTransitionAudit(e)).toEqual({
      id: e.id,
      tenantId: TENANT,
      occurredAt: new Date(e.time),
      source: 'session-service',
      actorId: HELPER,
      actorKind: 'user',
      category: 'RemoteHelp',
      activity: 'Start remote help session',
      targetId: SESSION,
      result: 'Success',
      details: 'state=ACTIVE mode=UNATTENDED',
    });
  });

  it('gives null for an event that carries none (written before the line travelled with it)', () => {
    expect(parseTransitionAudit(sessionEvent(facts()))).toBeNull();
    expect(parseTransitionAudit(sessionEvent({ ...facts(), audit: null }))).toBeNull();
  });

  it('a timer\'s transition: no actor, a system actor kind, no details', () => {
    const a = parseTransitionAudit(sessionEvent(facts({ audit: { ...line, actorKind: 'system', details: undefined } as never })));
    expect(a).toMatchObject({ actorId: null, actorKind: 'system', details: null });
  });

  it('refuses a malformed audit line', () => {
    rejected(() => parseTransitionAudit(sessionEvent({ ...facts(), audit: 'Start' })), /audit must be an object/);
    rejected(() => parseTransitionAudit(sessionEvent(facts({ audit: { ...line, actorKind: 'robot' } as never }))), /actorKind must be one of/);
    rejected(() => parseTransitionAudit(sessionEvent(facts({ audit: { ...line, activity: ' ' } as never }))), /activity must be a non-empty string/);
    rejected(() => parseTransitionAudit(sessionEvent(facts({ audit: { ...line, category: 7 } as never }))), /category must be a non-empty string/);
    rejected(() => parseTransitionAudit(sessionEvent(facts({ audit: { ...line, details: 7 } as never }))), /details must be a string or null/);
    rejected(() => parseTransitionAudit(sessionEvent(facts({ sessionId: 'nope', audit: line as never }))), /sessionId must be a UUID/);
    rejected(() => parseTransitionAudit(sessionEvent(facts({ audit: line as never }), 'not-a-tenant')), /tenantId must be a UUID/);
  });
});

describe('parseAuditRecord', () => {
  const base = { source: 'tenant-service', tenantId: TENANT, category: 'Settings', activity: 'Update remote help settings', targetId: TENANT, result: 'Success' as const };

  it('reads a user action', () => {
    const e = auditEvent({ ...base, actorId: HELPER, details: 'remoteHelpEnabled: true' });
    expect(parseAuditRecord(e)).toEqual({
      id: e.id,
      tenantId: TENANT,
      occurredAt: new Date(e.time),
      source: 'tenant-service',
      actorId: HELPER,
      actorKind: 'user',
      category: 'Settings',
      activity: 'Update remote help settings',
      targetId: TENANT,
      result: 'Success',
      details: 'remoteHelpEnabled: true',
    });
  });

  it('reads a system action (no actor)', () => {
    expect(parseAuditRecord(auditEvent({ ...base, actorId: null }))).toMatchObject({ actorId: null, actorKind: 'system', details: null });
  });

  it('refuses a record without category or with an unknown result', () => {
    rejected(() => parseAuditRecord(auditEvent({ ...base, actorId: null, category: '' })), /category must be a non-empty string/);
    rejected(() => parseAuditRecord(auditEvent({ ...base, actorId: null, result: 'Maybe' as never })), /result must be one of/);
  });
});

describe('parseUserName', () => {
  const user: UserSnapshot = {
    id: HELPER,
    tenantId: TENANT,
    userPrincipalName: 'ann@contoso.com',
    displayName: 'Ann Example',
    givenName: 'Ann',
    surname: 'Example',
    jobTitle: null,
    companyName: null,
    profilePictureUrl: null,
    licenses: [],
    version: 2,
  };
  const ev = (data: unknown, tenantId = TENANT) => createEvent({ type: 'user.upserted', source: 'tenant-service', tenantId, subject: HELPER, data });

  it('keeps the name, sign-in name and version', () => {
    expect(parseUserName(ev(user))).toEqual({ id: HELPER, tenantId: TENANT, userPrincipalName: 'ann@contoso.com', displayName: 'Ann Example', version: 2 });
  });

  it('refuses a user of another tenant than the event', () => {
    rejected(() => parseUserName(ev(user, OTHER)), /is not the data's/);
  });
});
