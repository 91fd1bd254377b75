// SessionService's transition engine with a stand-in store: which reads and guarded writes a
// transition makes, with and without this instance's last write of the session as a guess.
import type { Caller } from '@remote-help/auth';
import { ComplianceState, Platform, SessionMode, SessionState } from '@remote-help/domain';
import { RecentSessions } from './recent-sessions';
import type { SessionRecord } from './session-record';
import { OUTBOX_PARAMS } from './session-sql';
import type { SessionChange } from './session-state-machine';
import { SessionService } from './session.service';

const T = '11111111-1111-4111-8111-111111111111';
const H = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const S = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const ID = '99999999-9999-4999-8999-999999999999';

const sharer: Caller = { kind: 'user', tenantId: T, userId: S, upn: 's@x' };
const helper: Caller = { kind: 'user', tenantId: T, userId: H, upn: 'h@x' };

function record(state: SessionState, version: number): SessionRecord {
  return {
    id: ID,
    tenantId: T,
    helperId: H,
    sharerId: S,
    deviceId: 'dddddddd-dddd-4ddd-8ddd-dddddddddddd',
    mode: SessionMode.VIEW_ONLY,
    requestedMode: SessionMode.VIEW_ONLY,
    state,
    elevated: false,
    chatEnabled: true,
    chatUsed: false,
    reason: null,
    platform: Platform.WINDOWS,
    deviceEnrolled: true,
    deviceCompliance: ComplianceState.COMPLIANT,
    pendingControlRequest: null,
    codeExpiresAt: null,
    dueAt: null,
    helperSeenAt: null,
    sharerSeenAt: null,
    requestedAt: new Date('2026-01-01T10:00:00Z'),
    startedAt: null,
    endedAt: null,
    endReason: null,
    version,
  };
}

/** A store holding one row; `applyWithEvents` succeeds only on the row's current version. */
function setup(row: SessionRecord) {
  let db = row;
  const calls: string[] = [];
  const store = {
    find: jest.fn(async () => {
      calls.push('find');
      return db;
    }),
    applyWithEvents: jest.fn(async (before: SessionRecord, change: SessionChange) => {
      calls.push(`apply@${before.version}`);
      if (before.version !== db.version) return null;
      db = { ...db, state: change.state, version: db.version + 1 };
      return db;
    }),
  };
  const events = { outboxParams: () => new Array(OUTBOX_PARAMS).fill(null), failure: jest.fn(async () => undefined) };
  const recent = new RecentSessions();
  const service = new SessionService(null as never, store as never, null as never, events as never, null as never, recent, null as never, {} as never);
  return { service, recent, calls, events, setDb: (r: SessionRecord) => (db = r), db: () => db };
}

describe('transitions', () => {
  it('read, then one guarded write; the result is remembered', async () => {
    const t = setup(record(SessionState.PENDING_CONSENT, 2));
    const s = await t.service.respondToSession(sharer, ID, true);
    expect(s.state).toBe(SessionState.ACTIVE);
    expect(t.calls).toEqual(['find', 'apply@2']);
    expect(t.recent.get(T, ID)?.version).toBe(3);
  });

  it('with the session as last written here: the guarded write only, no read', async () => {
    const t = setup(record(SessionState.PENDING_CONSENT, 2));
    await t.service.respondToSession(sharer, ID, true);
    t.calls.length = 0;
    const s = await t.service.endSession(helper, ID);
    expect(s.state).toBe(SessionState.ENDED);
    expect(t.calls).toEqual(['apply@3']);
    expect(t.recent.get(T, ID)).toBeUndefined(); // final: forgotten
  });

  it('a stale guess costs a failed guarded write and a read, never a different outcome', async () => {
    const t = setup(record(SessionState.PENDING_CONSENT, 2));
    t.recent.remember(record(SessionState.PENDING_CONSENT, 1)); // moved on elsewhere meanwhile
    const s = await t.service.respondToSession(sharer, ID, true);
    expect(s.state).toBe(SessionState.ACTIVE);
    expect(t.calls).toEqual(['apply@1', 'find', 'apply@2']);
  });

  it('a guess the machine refuses is judged again on the row as read', async () => {
    const t = setup(record(SessionState.PENDING_CONSENT, 3));
    t.recent.remember(record(SessionState.WAITING_FOR_SHARER, 1)); // joined elsewhere meanwhile
    const s = await t.service.respondToSession(sharer, ID, true);
    expect(s.state).toBe(SessionState.ACTIVE);
    expect(t.calls).toEqual(['find', 'apply@3']);
  });

  it('a racing call that won: judged again on what it left (CONFLICT), audited as a failure', async () => {
    const t = setup(record(SessionState.PENDING_CONSENT, 2));
    const find = t.calls;
    // Both read version 2; the decline is written first.
    const [accept, decline] = await Promise.allSettled([t.service.respondToSession(sharer, ID, true), t.service.respondToSession(sharer, ID, false)]);
    expect(accept).toMatchObject({ status: 'fulfilled', value: { state: SessionState.ACTIVE } });
    expect(decline).toMatchObject({ status: 'rejected', reason: { extensions: { code: 'CONFLICT' } } });
    expect(find.filter((c) => c === 'find')).toHaveLength(3);
    expect(t.events.failure).toHaveBeenCalledTimes(1);
  });

  it('a session of another tenant is never taken from the guesses', async () => {
    const t = setup(record(SessionState.PENDING_CONSENT, 2));
    t.recent.remember(record(SessionState.PENDING_CONSENT, 2));
    expect(t.recent.get('22222222-2222-4222-8222-222222222222', ID)).toBeUndefined();
  });
});

describe('RecentSessions', () => {
  it('keeps at most its capacity, dropping the least recently written', () => {
    const r = new RecentSessions();
    r.capacity = 2;
    const a = { ...record(SessionState.ACTIVE, 1), id: 'a' };
    const b = { ...record(SessionState.ACTIVE, 1), id: 'b' };
    const c = { ...record(SessionState.ACTIVE, 1), id: 'c' };
    r.remember(a);
    r.remember(b);
    r.remember({ ...a, version: 2 });
    r.remember(c);
    expect(r.size).toBe(2);
    expect(r.get(T, 'b')).toBeUndefined();
    expect(r.get(T, 'a')?.version).toBe(2);
    expect(r.get(T.toUpperCase(), 'c')).toBe(c);
  });
});
