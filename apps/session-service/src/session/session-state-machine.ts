import { EndReason, Platform, SessionMode, SessionState } from '@remote-help/domain';
import { SESSION_EVENTS } from '@remote-help/events';

/**
 * The life of a Remote Help session as a pure function: (session, action, actor) -> the change
 * to make, or the refusal with its error code. No clock, no database: the service applies the
 * change only if the row still has the version judged (so racing calls cannot both win), and the
 * timers call it as the actor SYSTEM. Permissions over the target (Take full control, Elevation)
 * and the tenant's settings are the access decision's business, checked by the service before.
 *
 *   WAITING_FOR_SHARER --JOIN (a user, not the helper)--> PENDING_CONSENT
 *   PENDING_CONSENT --RESPOND accept (sharer; the device of an unattended session)--> ACTIVE
 *   PENDING_CONSENT --RESPOND decline--> DECLINED
 *   PENDING_CONSENT (unattended) --AUTO_START (timer)--> ACTIVE
 *   WAITING_FOR_SHARER, PENDING_CONSENT (attended) --EXPIRE (timer)--> EXPIRED
 *   ACTIVE --DISCONNECT (timer: a party sent no heartbeat)--> ENDED (DISCONNECTED)
 *   WAITING_FOR_SHARER, PENDING_CONSENT, ACTIVE --END (a party)--> ENDED (HELPER_ENDED / SHARER_ENDED)
 *   WAITING_FOR_SHARER, PENDING_CONSENT, ACTIVE --TERMINATE (admin)--> ENDED (ADMIN_ENDED)
 *   ACTIVE: REQUEST_CONTROL, RESPOND_CONTROL, ELEVATE, CHAT change the session, not its state.
 *   DECLINED, EXPIRED, ENDED are final: every action on them is a CONFLICT (they stay readable).
 *
 * Checks, in this order: who (not a party: NOT_FOUND; a party on the wrong side: FORBIDDEN),
 * the input (BAD_USER_INPUT), the state (CONFLICT), then the action's own conditions.
 */

/** Who acts, relative to the session. */
export enum Actor {
  /** The user who requested the session. */
  HELPER = 'HELPER',
  /** The user who joined it with the security code (attended sessions). */
  SHARER = 'SHARER',
  /** The dedicated device of an unattended session, with its device token (the sharer's side). */
  DEVICE = 'DEVICE',
  /** Anyone else: for JOIN, the user who entered the code; for anything else, not a party. */
  STRANGER = 'STRANGER',
  /** A user holding TERMINATE_SESSIONS, ending the session as an administrator. */
  ADMIN = 'ADMIN',
  /** session-service's own timers. */
  SYSTEM = 'SYSTEM',
}

export type SessionAction =
  | { type: 'JOIN' }
  | { type: 'RESPOND'; accept: boolean }
  | { type: 'REQUEST_CONTROL'; mode: SessionMode }
  | { type: 'RESPOND_CONTROL'; accept: boolean }
  | { type: 'ELEVATE' }
  | { type: 'CHAT' }
  | { type: 'HEARTBEAT' }
  | { type: 'END' }
  | { type: 'TERMINATE' }
  | { type: 'EXPIRE' }
  | { type: 'AUTO_START' }
  | { type: 'DISCONNECT' };

export type ActionType = SessionAction['type'];

export const TIMER_ACTIONS: readonly ActionType[] = ['EXPIRE', 'AUTO_START', 'DISCONNECT'];

/** What the machine needs to know of a session. */
export interface SessionSnapshot {
  state: SessionState;
  /** The control mode now (an unattended session stays UNATTENDED). */
  mode: SessionMode;
  /** Requested as UNATTENDED: no sharer, no code, no consent; the device is the other party. */
  unattended: boolean;
  platform: Platform;
  pendingControlRequest: SessionMode | null;
  elevated: boolean;
  chatEnabled: boolean;
  chatUsed: boolean;
}

/** Which timer runs in the new state (its deadline is stored in the row). */
export type TimerChange = 'JOIN' | 'CONSENT' | 'AUTO_START' | 'HEARTBEAT' | 'NONE' | 'KEEP';

export interface SessionChange {
  state: SessionState;
  mode?: SessionMode;
  pendingControlRequest?: SessionMode | null;
  elevated?: true;
  chatUsed?: true;
  /** The actor becomes the sharer (JOIN). */
  joined?: true;
  /** startedAt = now. */
  started?: true;
  /** endedAt = now, with this end reason (null for DECLINED). */
  ended?: { reason: EndReason | null };
  timer: TimerChange;
}

/** The session lifecycle event types (the shared contract's). */
export const SESSION_SERVICE_EVENTS = SESSION_EVENTS;

export type SessionServiceEventType = (typeof SESSION_SERVICE_EVENTS)[keyof typeof SESSION_SERVICE_EVENTS];

export type RefusalCode = 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT' | 'BAD_USER_INPUT';

export type TransitionResult =
  | {
      ok: true;
      change: SessionChange;
      /** The lifecycle event to publish, or null when nothing changed (heartbeat, chat after the first message). */
      event: SessionServiceEventType | null;
      /** The audit activity, or null when nothing is audited. */
      activity: string | null;
    }
  | { ok: false; code: RefusalCode; message: string };

export const WINDOWS_PLATFORMS: readonly Platform[] = [Platform.WINDOWS, Platform.WINDOWS_ARM64, Platform.WINDOWS_365];

const FINAL_STATES: readonly SessionState[] = [SessionState.DECLINED, SessionState.EXPIRED, SessionState.ENDED];
const LIVE_STATES: readonly SessionState[] = [SessionState.WAITING_FOR_SHARER, SessionState.PENDING_CONSENT, SessionState.ACTIVE];

export const isFinal = (s: SessionState) => FINAL_STATES.includes(s);

const refuse = (code: RefusalCode, message: string): TransitionResult => ({ ok: false, code, message });
const ok = (change: SessionChange, event: SessionServiceEventType | null, activity: string | null): TransitionResult => ({ ok: true, change, event, activity });
const notFound = () => refuse('NOT_FOUND', 'session not found');
const wrongState = (s: SessionSnapshot, what: string) => refuse('CONFLICT', `the session is ${s.state}: ${what}`);

/** Whether the actor is one of the two parties of this session. */
export function isParty(s: SessionSnapshot, actor: Actor): boolean {
  return actor === Actor.HELPER || (actor === Actor.SHARER && !s.unattended) || (actor === Actor.DEVICE && s.unattended);
}

export function transition(s: SessionSnapshot, action: SessionAction, actorIn: Actor): TransitionResult {
  // An administrator is an administrator only for TERMINATE; otherwise like anyone else.
  const actor = actorIn === Actor.ADMIN && action.type !== 'TERMINATE' ? Actor.STRANGER : actorIn;
  const timerAction = TIMER_ACTIONS.includes(action.type);
  if (timerAction !== (actor === Actor.SYSTEM)) {
    return refuse('FORBIDDEN', timerAction ? `${action.type} is done by the session timers only` : 'the session timers only expire, start and disconnect sessions');
  }
  if (action.type === 'JOIN') return join(s, actor);
  if (action.type === 'TERMINATE') return terminate(s, actor);
  if (!timerAction && !isParty(s, actor)) return notFound();

  switch (action.type) {
    case 'RESPOND':
      return respond(s, actor, action.accept);
    case 'REQUEST_CONTROL':
      return requestControl(s, actor, action.mode);
    case 'RESPOND_CONTROL':
      return respondControl(s, actor, action.accept);
    case 'ELEVATE':
      return elevate(s, actor);
    case 'CHAT':
      return chat(s, actor);
    case 'HEARTBEAT':
      if (!LIVE_STATES.includes(s.state)) return wrongState(s, 'it is over');
      return ok({ state: s.state, timer: 'KEEP' }, null, null);
    case 'END':
      if (!LIVE_STATES.includes(s.state)) return wrongState(s, 'it is over already');
      return ok(
        { state: SessionState.ENDED, ended: { reason: actor === Actor.HELPER ? EndReason.HELPER_ENDED : EndReason.SHARER_ENDED }, pendingControlRequest: null, timer: 'NONE' },
        SESSION_EVENTS.ended,
        'End remote help session',
      );
    case 'EXPIRE':
      if (s.state === SessionState.WAITING_FOR_SHARER || (s.state === SessionState.PENDING_CONSENT && !s.unattended)) {
        return ok({ state: SessionState.EXPIRED, ended: { reason: EndReason.EXPIRED }, timer: 'NONE' }, SESSION_EVENTS.expired, 'Expire remote help session');
      }
      return wrongState(s, 'only a session waiting for the sharer or for consent expires');
    case 'AUTO_START':
      if (s.state === SessionState.PENDING_CONSENT && s.unattended) {
        return ok({ state: SessionState.ACTIVE, started: true, timer: 'HEARTBEAT' }, SESSION_EVENTS.started, 'Start remote help session');
      }
      return wrongState(s, 'only an unattended session waiting to start starts by itself');
    case 'DISCONNECT':
      if (s.state === SessionState.ACTIVE) {
        return ok({ state: SessionState.ENDED, ended: { reason: EndReason.DISCONNECTED }, pendingControlRequest: null, timer: 'NONE' }, SESSION_EVENTS.ended, 'End remote help session');
      }
      return wrongState(s, 'only an active session disconnects');
  }
}

function join(s: SessionSnapshot, actor: Actor): TransitionResult {
  if (actor === Actor.HELPER) return refuse('FORBIDDEN', 'you cannot join your own session: the security code is for the person you help');
  if (actor === Actor.DEVICE) return refuse('FORBIDDEN', 'a device cannot join a session: the sharer signs in as a user');
  if (actor === Actor.SHARER) return wrongState(s, 'you joined it already');
  if (s.state !== SessionState.WAITING_FOR_SHARER || s.unattended) return wrongState(s, 'it does not wait for a sharer');
  return ok({ state: SessionState.PENDING_CONSENT, joined: true, timer: 'CONSENT' }, SESSION_EVENTS.joined, 'Join remote help session');
}

function terminate(s: SessionSnapshot, actor: Actor): TransitionResult {
  if (actor !== Actor.ADMIN) return refuse('FORBIDDEN', 'you need the TERMINATE_SESSIONS permission for this');
  if (!LIVE_STATES.includes(s.state)) return wrongState(s, 'it is over already');
  return ok({ state: SessionState.ENDED, ended: { reason: EndReason.ADMIN_ENDED }, pendingControlRequest: null, timer: 'NONE' }, SESSION_EVENTS.ended, 'Terminate remote help session');
}

function respond(s: SessionSnapshot, actor: Actor, accept: boolean): TransitionResult {
  if (actor === Actor.HELPER) return refuse('FORBIDDEN', 'the helper cannot consent to their own session: the sharer accepts or declines');
  if (s.state !== SessionState.PENDING_CONSENT) return wrongState(s, 'it does not wait for consent');
  return accept
    ? ok({ state: SessionState.ACTIVE, started: true, timer: 'HEARTBEAT' }, SESSION_EVENTS.started, 'Start remote help session')
    : ok({ state: SessionState.DECLINED, ended: { reason: null }, timer: 'NONE' }, SESSION_EVENTS.declined, 'Decline remote help session');
}

function requestControl(s: SessionSnapshot, actor: Actor, mode: SessionMode): TransitionResult {
  if (actor !== Actor.HELPER) return refuse('FORBIDDEN', 'only the helper asks for a control mode');
  if (mode === SessionMode.UNATTENDED) return refuse('BAD_USER_INPUT', 'mode must be VIEW_ONLY or FULL_CONTROL');
  if (s.state !== SessionState.ACTIVE) return wrongState(s, 'the control mode changes only in an active session');
  if (s.unattended) return wrongState(s, 'an unattended session always has full control');
  if (s.pendingControlRequest !== null) return wrongState(s, `a request for ${s.pendingControlRequest} waits for the sharer's answer`);
  if (s.mode === mode) return wrongState(s, `it is in ${mode} already`);
  if (mode === SessionMode.FULL_CONTROL) {
    return ok({ state: s.state, pendingControlRequest: SessionMode.FULL_CONTROL, timer: 'KEEP' }, SESSION_SERVICE_EVENTS.controlRequested, 'Request full control');
  }
  return ok({ state: s.state, mode: SessionMode.VIEW_ONLY, timer: 'KEEP' }, SESSION_EVENTS.controlChanged, 'Change remote help control');
}

function respondControl(s: SessionSnapshot, actor: Actor, accept: boolean): TransitionResult {
  if (actor !== Actor.SHARER) return refuse('FORBIDDEN', "only the sharer answers the helper's request for control");
  if (s.state !== SessionState.ACTIVE) return wrongState(s, 'no control request is pending');
  if (s.pendingControlRequest === null) return wrongState(s, 'no control request is pending');
  return accept
    ? ok({ state: s.state, mode: s.pendingControlRequest, pendingControlRequest: null, timer: 'KEEP' }, SESSION_EVENTS.controlChanged, 'Change remote help control')
    : ok({ state: s.state, pendingControlRequest: null, timer: 'KEEP' }, SESSION_SERVICE_EVENTS.controlRequestDeclined, 'Decline full control');
}

function elevate(s: SessionSnapshot, actor: Actor): TransitionResult {
  if (actor !== Actor.HELPER) return refuse('FORBIDDEN', 'only the helper asks for elevation');
  if (s.state !== SessionState.ACTIVE) return wrongState(s, 'elevation happens only in an active session');
  if (!WINDOWS_PLATFORMS.includes(s.platform)) return refuse('FORBIDDEN', `elevation is available on Windows devices only, not on ${s.platform}`);
  if (s.mode !== SessionMode.FULL_CONTROL) return wrongState(s, 'elevation needs full control: ask for FULL_CONTROL first');
  if (s.elevated) return wrongState(s, 'it is elevated already');
  return ok({ state: s.state, elevated: true, timer: 'KEEP' }, SESSION_EVENTS.elevated, 'Elevate remote help session');
}

function chat(s: SessionSnapshot, actor: Actor): TransitionResult {
  if (actor === Actor.DEVICE) return refuse('FORBIDDEN', 'a device does not chat');
  if (s.state !== SessionState.ACTIVE) return wrongState(s, 'chat is available only in an active session');
  if (s.unattended) return refuse('FORBIDDEN', 'an unattended session has nobody at the device to chat with');
  if (!s.chatEnabled) return refuse('FORBIDDEN', 'chat is disabled for this session: the tenant had disabled chat when it was requested');
  if (s.chatUsed) return ok({ state: s.state, timer: 'KEEP' }, null, null);
  return ok({ state: s.state, chatUsed: true, timer: 'KEEP' }, SESSION_EVENTS.chatUsed, 'Use chat in remote help session');
}
