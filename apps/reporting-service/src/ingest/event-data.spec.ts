import { auditEvent, buildEvent, DIRECTORY_EVENTS, parseEvent, SESSION_EVENTS, type SessionFacts, type UserSnapshot } from '@remote-help/events';
import { auditRecordOf, type SessionEvent, sessionFactsOf, transitionAuditOf, userNameOf } from './event-data';

// The checks of the data are the contracts' (libs/events contracts/event-catalogue.spec.ts):
// these events come parsed, and are only turned into rows here.

const TENANT = '11111111-1111-4111-8111-111111111111';
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
/** A lifecycle event as the consumer hands it over: parsed by its contract. */
const sessionEvent = (data: SessionFacts) => parseEvent(buildEvent(SESSION_EVENTS.started, { source: 'session-service', tenantId: TENANT, subject: SESSION, data })) as SessionEvent;

describe('sessionFactsOf', () => {
  it('keeps SessionFacts as a row takes them (times as Dates)', () => {
    const f = sessionFactsOf(sessionEvent(facts()));
    expect(f).toMatchObject({ sessionId: SESSION, tenantId: TENANT, sharerId: null, requestedMode: 'UNATTENDED', state: 'ACTIVE', version: 3, reason: 'INC-1' });
    expect(f.startedAt).toEqual(new Date('2026-01-01T10:00:30.000Z'));
    expect(f.endedAt).toBeNull();
    expect(f).not.toHaveProperty('audit');
  });

  it('has the ids in lower case (the parse keeps them so)', () => {
    expect(sessionFactsOf(sessionEvent(facts({ helperId: HELPER.toUpperCase() }))).helperId).toBe(HELPER);
  });

  it('cuts an over-long reason rather than losing the record', () => {
    expect(sessionFactsOf(sessionEvent(facts({ reason: 'x'.repeat(5000) }))).reason).toHaveLength(2000);
  });
});

describe('transitionAuditOf', () => {
  const line = { category: 'RemoteHelp', activity: 'Start remote help session', actorKind: 'user', details: 'state=ACTIVE mode=UNATTENDED' } as const;

  it("keeps the audit line a lifecycle event carries, under the event's id, time and source, the session as target", () => {
    const e = sessionEvent(facts({ actorId: HELPER, audit: line }));
    expect(transitionAuditOf(e)).toEqual({
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
    expect(transitionAuditOf(sessionEvent(facts()))).toBeNull();
    expect(transitionAuditOf(sessionEvent({ ...facts(), audit: null }))).toBeNull();
  });

  it("a timer's transition: no actor, a system actor kind, no details", () => {
    const a = transitionAuditOf(sessionEvent(facts({ audit: { ...line, actorKind: 'system', details: undefined } })));
    expect(a).toMatchObject({ actorId: null, actorKind: 'system', details: null });
  });
});

describe('auditRecordOf', () => {
  const base = { source: 'tenant-service', tenantId: TENANT, category: 'Settings', activity: 'Update remote help settings', targetId: TENANT, result: 'Success' as const };

  it('keeps a user action', () => {
    const e = auditEvent({ ...base, actorId: HELPER, details: 'remoteHelpEnabled: true' });
    expect(auditRecordOf(e)).toEqual({
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

  it('keeps a system action (no actor)', () => {
    expect(auditRecordOf(auditEvent({ ...base, actorId: null }))).toMatchObject({ actorId: null, actorKind: 'system', details: null });
  });
});

describe('userNameOf', () => {
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

  it('keeps the name, sign-in name and version', () => {
    expect(userNameOf(buildEvent(DIRECTORY_EVENTS.userUpserted, { source: 'tenant-service', tenantId: TENANT, subject: HELPER, data: user }))).toEqual({
      id: HELPER,
      tenantId: TENANT,
      userPrincipalName: 'ann@contoso.com',
      displayName: 'Ann Example',
      version: 2,
    });
  });
});
