import { EndReason, Platform, SessionMode, SessionState } from '@remote-help/domain';
import type { SessionAction, SessionSnapshot } from './session-state-machine';
import { Actor, transition } from './session-state-machine';

/**
 * Every state x every action x every actor, for an attended and an unattended session, against
 * a table written out by hand. Outcomes: the state after an allowed action (W P A D X E), or
 * the refusal's code (404 NOT_FOUND, 403 FORBIDDEN, 409 CONFLICT, 400 BAD_USER_INPUT).
 */

const STATES = [SessionState.WAITING_FOR_SHARER, SessionState.PENDING_CONSENT, SessionState.ACTIVE, SessionState.DECLINED, SessionState.EXPIRED, SessionState.ENDED];
const LETTER: Record<SessionState, string> = { WAITING_FOR_SHARER: 'W', PENDING_CONSENT: 'P', ACTIVE: 'A', DECLINED: 'D', EXPIRED: 'X', ENDED: 'E' };
const CODE = { NOT_FOUND: '404', FORBIDDEN: '403', CONFLICT: '409', BAD_USER_INPUT: '400' } as const;

const ACTIONS: Record<string, SessionAction> = {
  JOIN: { type: 'JOIN' },
  ACCEPT: { type: 'RESPOND', accept: true },
  DECLINE: { type: 'RESPOND', accept: false },
  ASK_FULL: { type: 'REQUEST_CONTROL', mode: SessionMode.FULL_CONTROL },
  ASK_VIEW: { type: 'REQUEST_CONTROL', mode: SessionMode.VIEW_ONLY },
  ASK_UNATTENDED: { type: 'REQUEST_CONTROL', mode: SessionMode.UNATTENDED },
  GRANT_CONTROL: { type: 'RESPOND_CONTROL', accept: true },
  REFUSE_CONTROL: { type: 'RESPOND_CONTROL', accept: false },
  ELEVATE: { type: 'ELEVATE' },
  CHAT: { type: 'CHAT' },
  HEARTBEAT: { type: 'HEARTBEAT' },
  END: { type: 'END' },
  TERMINATE: { type: 'TERMINATE' },
  EXPIRE: { type: 'EXPIRE' },
  AUTO_START: { type: 'AUTO_START' },
  DISCONNECT: { type: 'DISCONNECT' },
};
const ACTORS = [Actor.HELPER, Actor.SHARER, Actor.DEVICE, Actor.STRANGER, Actor.ADMIN, Actor.SYSTEM];

const all = (o: string) => Array(6).fill(o).join(' ');

// An attended VIEW_ONLY session on a Windows PC, chat enabled and not used yet, no control request pending.
//                              actor:   HELPER               SHARER               DEVICE      STRANGER             ADMIN                SYSTEM
//                              states:  W P A D X E
const ATTENDED: Record<string, Record<Actor, string>> = {
  JOIN: { HELPER: all('403'), SHARER: all('409'), DEVICE: all('403'), STRANGER: 'P 409 409 409 409 409', ADMIN: 'P 409 409 409 409 409', SYSTEM: all('403') },
  ACCEPT: { HELPER: all('403'), SHARER: '409 A 409 409 409 409', DEVICE: all('404'), STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  DECLINE: { HELPER: all('403'), SHARER: '409 D 409 409 409 409', DEVICE: all('404'), STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  ASK_FULL: { HELPER: '409 409 A 409 409 409', SHARER: all('403'), DEVICE: all('404'), STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  ASK_VIEW: { HELPER: all('409'), SHARER: all('403'), DEVICE: all('404'), STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  ASK_UNATTENDED: { HELPER: all('400'), SHARER: all('403'), DEVICE: all('404'), STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  GRANT_CONTROL: { HELPER: all('403'), SHARER: all('409'), DEVICE: all('404'), STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  REFUSE_CONTROL: { HELPER: all('403'), SHARER: all('409'), DEVICE: all('404'), STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  ELEVATE: { HELPER: all('409'), SHARER: all('403'), DEVICE: all('404'), STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  CHAT: { HELPER: '409 409 A 409 409 409', SHARER: '409 409 A 409 409 409', DEVICE: all('404'), STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  HEARTBEAT: { HELPER: 'W P A 409 409 409', SHARER: 'W P A 409 409 409', DEVICE: all('404'), STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  END: { HELPER: 'E E E 409 409 409', SHARER: 'E E E 409 409 409', DEVICE: all('404'), STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  TERMINATE: { HELPER: all('403'), SHARER: all('403'), DEVICE: all('403'), STRANGER: all('403'), ADMIN: 'E E E 409 409 409', SYSTEM: all('403') },
  EXPIRE: { HELPER: all('403'), SHARER: all('403'), DEVICE: all('403'), STRANGER: all('403'), ADMIN: all('403'), SYSTEM: 'X X 409 409 409 409' },
  AUTO_START: { HELPER: all('403'), SHARER: all('403'), DEVICE: all('403'), STRANGER: all('403'), ADMIN: all('403'), SYSTEM: all('409') },
  DISCONNECT: { HELPER: all('403'), SHARER: all('403'), DEVICE: all('403'), STRANGER: all('403'), ADMIN: all('403'), SYSTEM: '409 409 E 409 409 409' },
};

// An unattended session on an Android dedicated device (no sharer: the device is the other party).
const UNATTENDED: Record<string, Record<Actor, string>> = {
  JOIN: { HELPER: all('403'), SHARER: all('409'), DEVICE: all('403'), STRANGER: all('409'), ADMIN: all('409'), SYSTEM: all('403') },
  ACCEPT: { HELPER: all('403'), SHARER: all('404'), DEVICE: '409 A 409 409 409 409', STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  DECLINE: { HELPER: all('403'), SHARER: all('404'), DEVICE: '409 D 409 409 409 409', STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  ASK_FULL: { HELPER: all('409'), SHARER: all('404'), DEVICE: all('403'), STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  ASK_VIEW: { HELPER: all('409'), SHARER: all('404'), DEVICE: all('403'), STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  ASK_UNATTENDED: { HELPER: all('400'), SHARER: all('404'), DEVICE: all('403'), STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  GRANT_CONTROL: { HELPER: all('403'), SHARER: all('404'), DEVICE: all('403'), STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  REFUSE_CONTROL: { HELPER: all('403'), SHARER: all('404'), DEVICE: all('403'), STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  ELEVATE: { HELPER: '409 409 403 409 409 409', SHARER: all('404'), DEVICE: all('403'), STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  CHAT: { HELPER: '409 409 403 409 409 409', SHARER: all('404'), DEVICE: all('403'), STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  HEARTBEAT: { HELPER: 'W P A 409 409 409', SHARER: all('404'), DEVICE: 'W P A 409 409 409', STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  END: { HELPER: 'E E E 409 409 409', SHARER: all('404'), DEVICE: 'E E E 409 409 409', STRANGER: all('404'), ADMIN: all('404'), SYSTEM: all('403') },
  TERMINATE: { HELPER: all('403'), SHARER: all('403'), DEVICE: all('403'), STRANGER: all('403'), ADMIN: 'E E E 409 409 409', SYSTEM: all('403') },
  EXPIRE: { HELPER: all('403'), SHARER: all('403'), DEVICE: all('403'), STRANGER: all('403'), ADMIN: all('403'), SYSTEM: 'X 409 409 409 409 409' },
  AUTO_START: { HELPER: all('403'), SHARER: all('403'), DEVICE: all('403'), STRANGER: all('403'), ADMIN: all('403'), SYSTEM: '409 A 409 409 409 409' },
  DISCONNECT: { HELPER: all('403'), SHARER: all('403'), DEVICE: all('403'), STRANGER: all('403'), ADMIN: all('403'), SYSTEM: '409 409 E 409 409 409' },
};

function attended(state: SessionState, over: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return { state, mode: SessionMode.VIEW_ONLY, unattended: false, platform: Platform.WINDOWS, pendingControlRequest: null, elevated: false, chatEnabled: true, chatUsed: false, ...over };
}
function unattended(state: SessionState, over: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return { ...attended(state), mode: SessionMode.UNATTENDED, unattended: true, platform: Platform.ANDROID_DEDICATED, ...over };
}

function outcome(s: SessionSnapshot, action: SessionAction, actor: Actor): string {
  const r = transition(s, action, actor);
  return r.ok ? LETTER[r.change.state] : CODE[r.code];
}

describe.each([
  ['attended', ATTENDED, attended],
  ['unattended', UNATTENDED, unattended],
] as const)('the %s session: every state x action x actor', (_kind, table, make) => {
  it('covers every action and actor', () => {
    expect(Object.keys(table).sort()).toEqual(Object.keys(ACTIONS).sort());
    for (const row of Object.values(table)) expect(Object.keys(row).sort()).toEqual([...ACTORS].sort());
  });

  const cases = Object.entries(ACTIONS).flatMap(([name, action]) => ACTORS.map((actor) => [name, actor, action] as const));
  it.each(cases)('%s by %s', (name, actor, action) => {
    const got = STATES.map((state) => outcome(make(state), action, actor)).join(' ');
    expect(got).toBe(table[name][actor]);
  });
});

describe('allowed transitions: what they change, publish and audit', () => {
  const ok = (s: SessionSnapshot, a: SessionAction, actor: Actor) => {
    const r = transition(s, a, actor);
    if (!r.ok) throw new Error(`refused: ${r.code} ${r.message}`);
    return r;
  };

  it('join: the joiner becomes the sharer, the consent timer starts', () => {
    expect(ok(attended(SessionState.WAITING_FOR_SHARER), ACTIONS.JOIN, Actor.STRANGER)).toEqual({
      ok: true,
      change: { state: SessionState.PENDING_CONSENT, joined: true, timer: 'CONSENT' },
      event: 'session.joined',
      activity: 'Join remote help session',
    });
  });

  it('consent: accept starts the session and its heartbeat timer; decline ends it without an end reason', () => {
    expect(ok(attended(SessionState.PENDING_CONSENT), ACTIONS.ACCEPT, Actor.SHARER)).toMatchObject({
      change: { state: SessionState.ACTIVE, started: true, timer: 'HEARTBEAT' },
      event: 'session.started',
      activity: 'Start remote help session',
    });
    expect(ok(attended(SessionState.PENDING_CONSENT), ACTIONS.DECLINE, Actor.SHARER)).toMatchObject({
      change: { state: SessionState.DECLINED, ended: { reason: null }, timer: 'NONE' },
      event: 'session.declined',
    });
    expect(ok(unattended(SessionState.PENDING_CONSENT), ACTIONS.ACCEPT, Actor.DEVICE).change).toMatchObject({ state: SessionState.ACTIVE, started: true });
  });

  it('view-only to full control waits for the sharer; full control to view-only is at once', () => {
    const asked = ok(attended(SessionState.ACTIVE), ACTIONS.ASK_FULL, Actor.HELPER);
    expect(asked).toMatchObject({ change: { state: SessionState.ACTIVE, pendingControlRequest: SessionMode.FULL_CONTROL, timer: 'KEEP' }, event: 'session.control-requested' });
    expect(asked.change.mode).toBeUndefined();
    const pending = attended(SessionState.ACTIVE, { pendingControlRequest: SessionMode.FULL_CONTROL });
    expect(ok(pending, ACTIONS.GRANT_CONTROL, Actor.SHARER)).toMatchObject({
      change: { mode: SessionMode.FULL_CONTROL, pendingControlRequest: null },
      event: 'session.control-changed',
    });
    const refused = ok(pending, ACTIONS.REFUSE_CONTROL, Actor.SHARER);
    expect(refused).toMatchObject({ change: { pendingControlRequest: null }, event: 'session.control-request-declined' });
    expect(refused.change.mode).toBeUndefined();
    expect(ok(attended(SessionState.ACTIVE, { mode: SessionMode.FULL_CONTROL }), ACTIONS.ASK_VIEW, Actor.HELPER)).toMatchObject({
      change: { mode: SessionMode.VIEW_ONLY },
      event: 'session.control-changed',
    });
  });

  it('refuses a second control request while one is pending, and asking for the mode in force', () => {
    const pending = attended(SessionState.ACTIVE, { pendingControlRequest: SessionMode.FULL_CONTROL });
    expect(transition(pending, ACTIONS.ASK_FULL, Actor.HELPER)).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(transition(attended(SessionState.ACTIVE, { mode: SessionMode.FULL_CONTROL }), ACTIONS.ASK_FULL, Actor.HELPER)).toMatchObject({ ok: false, code: 'CONFLICT' });
  });

  it('elevation: Windows platforms in full control, once', () => {
    for (const platform of [Platform.WINDOWS, Platform.WINDOWS_ARM64, Platform.WINDOWS_365]) {
      expect(ok(attended(SessionState.ACTIVE, { platform, mode: SessionMode.FULL_CONTROL }), ACTIONS.ELEVATE, Actor.HELPER)).toMatchObject({
        change: { elevated: true },
        event: 'session.elevated',
      });
    }
    for (const platform of [Platform.MACOS, Platform.ANDROID_DEDICATED, Platform.OTHER]) {
      expect(transition(attended(SessionState.ACTIVE, { platform, mode: SessionMode.FULL_CONTROL }), ACTIONS.ELEVATE, Actor.HELPER)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
    expect(transition(attended(SessionState.ACTIVE, { mode: SessionMode.FULL_CONTROL, elevated: true }), ACTIONS.ELEVATE, Actor.HELPER)).toMatchObject({ ok: false, code: 'CONFLICT' });
  });

  it('chat: only when enabled; the first message is the only one published', () => {
    expect(ok(attended(SessionState.ACTIVE), ACTIONS.CHAT, Actor.SHARER)).toMatchObject({ change: { chatUsed: true }, event: 'session.chat-used' });
    expect(ok(attended(SessionState.ACTIVE, { chatUsed: true }), ACTIONS.CHAT, Actor.HELPER)).toEqual({ ok: true, change: { state: SessionState.ACTIVE, timer: 'KEEP' }, event: null, activity: null });
    expect(transition(attended(SessionState.ACTIVE, { chatEnabled: false }), ACTIONS.CHAT, Actor.HELPER)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('a heartbeat changes nothing and publishes nothing', () => {
    expect(ok(attended(SessionState.ACTIVE), ACTIONS.HEARTBEAT, Actor.HELPER)).toEqual({ ok: true, change: { state: SessionState.ACTIVE, timer: 'KEEP' }, event: null, activity: null });
  });

  it('end reasons: who ended it', () => {
    const reason = (s: SessionSnapshot, a: SessionAction, actor: Actor) => ok(s, a, actor).change.ended?.reason;
    expect(reason(attended(SessionState.ACTIVE), ACTIONS.END, Actor.HELPER)).toBe(EndReason.HELPER_ENDED);
    expect(reason(attended(SessionState.ACTIVE), ACTIONS.END, Actor.SHARER)).toBe(EndReason.SHARER_ENDED);
    expect(reason(unattended(SessionState.ACTIVE), ACTIONS.END, Actor.DEVICE)).toBe(EndReason.SHARER_ENDED);
    expect(reason(attended(SessionState.WAITING_FOR_SHARER), ACTIONS.END, Actor.HELPER)).toBe(EndReason.HELPER_ENDED);
    expect(reason(attended(SessionState.ACTIVE), ACTIONS.TERMINATE, Actor.ADMIN)).toBe(EndReason.ADMIN_ENDED);
    expect(reason(attended(SessionState.ACTIVE), ACTIONS.DISCONNECT, Actor.SYSTEM)).toBe(EndReason.DISCONNECTED);
    expect(reason(attended(SessionState.PENDING_CONSENT), ACTIONS.EXPIRE, Actor.SYSTEM)).toBe(EndReason.EXPIRED);
    expect(ok(attended(SessionState.ACTIVE), ACTIONS.TERMINATE, Actor.ADMIN).activity).toBe('Terminate remote help session');
    expect(ok(attended(SessionState.ACTIVE, { pendingControlRequest: SessionMode.FULL_CONTROL }), ACTIONS.END, Actor.HELPER).change.pendingControlRequest).toBeNull();
  });

  it('timers: expiry, the unattended start and the disconnect are events of their own', () => {
    expect(ok(attended(SessionState.WAITING_FOR_SHARER), ACTIONS.EXPIRE, Actor.SYSTEM)).toMatchObject({ event: 'session.expired', activity: 'Expire remote help session', change: { timer: 'NONE' } });
    expect(ok(unattended(SessionState.PENDING_CONSENT), ACTIONS.AUTO_START, Actor.SYSTEM)).toMatchObject({ event: 'session.started', change: { started: true, timer: 'HEARTBEAT' } });
    expect(ok(attended(SessionState.ACTIVE), ACTIONS.DISCONNECT, Actor.SYSTEM)).toMatchObject({ event: 'session.ended' });
  });

  it('never reveals a session to someone who is not a party', () => {
    for (const state of STATES) {
      for (const [name, action] of Object.entries(ACTIONS)) {
        if (['JOIN', 'TERMINATE', 'EXPIRE', 'AUTO_START', 'DISCONNECT'].includes(name)) continue;
        const r = transition(attended(state), action, Actor.STRANGER);
        expect(r).toEqual({ ok: false, code: 'NOT_FOUND', message: 'session not found' });
      }
    }
  });
});
