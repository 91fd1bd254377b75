import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { AdminPermission, ApprovalKind, ApprovalNeed, ApprovalStep, DenialReason, isUuid, RemoteHelpPermission, SessionMode, SessionState, stepApproval } from '@remote-help/domain';
import { AdminAuthorizer, AppError, badInput, conflict, forbidden, notFound, tenantOf } from '@remote-help/service-kit';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SESSION_EVENTS } from '@remote-help/events';
import { AccessAnswer, AccessQuery } from '../access/access-answer';
import { AccessDecisions } from '../access/access-decisions';
import { ChatHub } from '../chat/chat-hub';
import { SESSION_TIMINGS, SessionTimings } from '../config';
import { hashSecurityCode, newSecurityCode, normalizeSecurityCode } from './security-code';
import { auditActorOf, SessionEvents } from './session-events';
import { toModel } from './session.mapper';
import { ChatMessage, RemoteHelpSession, RequestSessionInput, RequestSessionPayload } from './session.model';
import { actorOf, complianceWarningOf, isPartyCaller, SessionRecord, snapshotOf, UNENROLLED_WARNING } from './session-record';
import { Actor, SessionAction, transition, TransitionResult } from './session-state-machine';
import { RecentSessions } from './recent-sessions';
import { SessionStore } from './session-store';

export const MAX_REASON_LENGTH = 500;
export const MAX_CHAT_LENGTH = 4000;

/** The one answer for a wrong, expired or used security code, whichever it is. */
export const INVALID_CODE_MESSAGE = 'this security code is not valid: check it with the helper, who can get a new one';

const sessionNotFound = () => notFound('session');

/** How many times a transition is judged again when racing calls keep moving its session. */
const MAX_WRITE_ATTEMPTS = 10;

export function refusal(r: Extract<TransitionResult, { ok: false }>): AppError {
  switch (r.code) {
    case 'NOT_FOUND':
      return sessionNotFound();
    case 'FORBIDDEN':
      return forbidden(r.message);
    case 'BAD_USER_INPUT':
      return badInput(r.message);
    case 'CONFLICT':
      return conflict(r.message);
  }
}

/** The reason as recorded: trimmed, at most 500 characters, empty = none. */
export function normalizeReason(reason: string | null | undefined): string | null {
  if (reason === null || reason === undefined) return null;
  const r = reason.trim();
  if ([...r].length > MAX_REASON_LENGTH) throw badInput(`reason must be at most ${MAX_REASON_LENGTH} characters`);
  return r.length ? r : null;
}

/** Chat text: 1 to 4,000 characters, not only blanks. */
export function checkChatText(text: string): string {
  const n = [...(text ?? '')].length;
  if (n === 0 || !text.trim()) throw badInput('text must not be empty');
  if (n > MAX_CHAT_LENGTH) throw badInput(`text must be at most ${MAX_CHAT_LENGTH} characters`);
  return text;
}

/**
 * Refuses a step that needs approval (issue 19): approval requests are not served yet, so a gated
 * step never goes ahead without one (fail closed), whatever else allows it.
 */
function refuseIfGated(answer: AccessAnswer, step: ApprovalStep, what: string): void {
  const need: ApprovalNeed = stepApproval(answer.decision.approvalGates, step);
  if (need.permissions.length === 0) return;
  throw forbidden(
    `${what} needs approval (${need.permissions.join(', ')}) by a member of the approver groups of your role assignment, and this server does not take approval requests yet: ` +
      'ask an administrator to lift the approval requirement, or use a mode that needs none',
  );
}

function denied(what: string, reasons: DenialReason[]): AppError {
  return forbidden(`${what}: ${reasons.join(', ')}`, { reasons });
}

/**
 * The life of every session (see session-state-machine.ts). Each transition: the state machine
 * judges the session as read (when the action needs an access decision, cheap refusals come
 * first, then the decision is asked); then one statement (a transaction of its own) applies the
 * change, guarded by the version judged, and writes the lifecycle event and the audit event to
 * the outbox with the relay's wake-up. When the guard fails (a racing call moved the session),
 * nothing is written and the session is read and judged again, so racing calls never both win.
 * A refused or failed action is audited as a Failure.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: SessionStore,
    private readonly access: AccessDecisions,
    private readonly events: SessionEvents,
    private readonly hub: ChatHub,
    private readonly recent: RecentSessions,
    private readonly admins: AdminAuthorizer,
    @Inject(SESSION_TIMINGS) private readonly timings: SessionTimings,
  ) {}

  // ---------------------------------------------------------------- views

  /** The session, for its parties only; null for anyone else (never a hint that it exists). */
  async session(caller: Caller, id: string): Promise<RemoteHelpSession | null> {
    const s = await this.store.find(tenantOf(caller), id);
    return s && isPartyCaller(caller, s) ? toModel(s) : null;
  }

  async mySessions(caller: Caller, states?: SessionState[] | null): Promise<RemoteHelpSession[]> {
    const tenantId = tenantOf(caller);
    if (caller.kind === 'user') return (await this.store.listForParty(tenantId, { userId: caller.userId }, states ?? undefined)).map(toModel);
    if (caller.kind === 'device') return (await this.store.listForParty(tenantId, { deviceId: caller.deviceId }, states ?? undefined)).map(toModel);
    return [];
  }

  /** The tenant's active sessions (READ_REPORTS). */
  async activeSessions(caller: Caller): Promise<RemoteHelpSession[]> {
    await this.admins.require(caller, AdminPermission.READ_REPORTS);
    return (await this.store.listActive(tenantOf(caller))).map(toModel);
  }

  // ---------------------------------------------------------------- helper side

  async requestSession(caller: Caller, input: RequestSessionInput): Promise<RequestSessionPayload> {
    const activity = 'Request remote help session';
    const tenantId = tenantOf(caller);
    return this.guarded(caller, activity, isUuid(input.deviceId) ? input.deviceId : null, async () => {
      if (caller.kind !== 'user') throw forbidden('a device cannot act as a helper: a signed-in user requests sessions');
      const reason = normalizeReason(input.reason);
      if (!isUuid(input.deviceId)) throw notFound('device');
      const answer = await this.access.decide({
        tenantId,
        helperId: caller.userId,
        deviceId: input.deviceId,
        mode: input.mode,
        complianceAcknowledged: input.acknowledgeComplianceWarning === true,
        reasonGiven: reason !== null,
      });
      const device = answer.device;
      if (!device) throw notFound('device');
      const complianceWarning = complianceWarningOf({ deviceId: device.id, deviceCompliance: device.compliance });
      const warnings = !device.enrolled && !answer.decision.reasons.includes(DenialReason.DEVICE_NOT_ENROLLED) ? [UNENROLLED_WARNING] : [];
      if (!answer.decision.allowed) {
        await this.events.audit(tenantId, auditActorOf(caller), activity, device.id, 'Failure', `denied: ${answer.decision.reasons.join(', ')}`);
        return { session: null, decision: answer.decision, complianceWarning, warnings };
      }
      refuseIfGated(answer, { kind: ApprovalKind.SESSION_START, mode: input.mode }, 'this session');
      const { session, code } = await this.create(caller, input.mode, reason, answer);
      return { session: { ...toModel(session), securityCode: code }, decision: answer.decision, complianceWarning, warnings };
    });
  }

  /**
   * Inserts the new session with a fresh code (unique among live codes: a collision draws
   * again), its events, and the tenant's chat setting from the answer if newer: one statement.
   */
  private async create(caller: Extract<Caller, { kind: 'user' }>, mode: SessionMode, reason: string | null, answer: AccessAnswer) {
    const device = answer.device!;
    const unattended = mode === SessionMode.UNATTENDED;
    const setting = answer.tenant && { chatDisabled: answer.tenant.chatDisabled, version: answer.tenant.settingsVersion };
    const id = randomUUID();
    for (let attempt = 1; ; attempt++) {
      const code = unattended ? null : newSecurityCode();
      try {
        const session = await this.store.insertWithEvents(
          {
            id,
            tenantId: caller.tenantId,
            helperId: caller.userId,
            deviceId: device.id,
            mode,
            state: unattended ? SessionState.PENDING_CONSENT : SessionState.WAITING_FOR_SHARER,
            reason,
            platform: device.platform,
            deviceEnrolled: device.enrolled,
            deviceCompliance: device.compliance,
            codeHash: code ? hashSecurityCode(code) : null,
            dueInMs: unattended ? this.timings.unattendedStartMs : this.timings.joinTimeoutMs,
          },
          setting,
          this.events.outboxParams(caller.tenantId, id, SESSION_EVENTS.requested, 'Request remote help session', auditActorOf(caller)),
        );
        this.recent.remember(session);
        return { session, code };
      } catch (e) {
        const duplicateCode = (e as { code?: string; constraint?: string }).code === '23505' && (e as { constraint?: string }).constraint === 'sessions_live_code';
        if (!duplicateCode || attempt >= 5) throw e;
      }
    }
  }

  async requestControlChange(caller: Caller, sessionId: string, mode: SessionMode): Promise<RemoteHelpSession> {
    const activity = mode === SessionMode.FULL_CONTROL ? 'Request full control' : 'Change remote help control';
    return this.act(caller, sessionId, { type: 'REQUEST_CONTROL', mode }, activity, async (s) => {
      if (mode !== SessionMode.FULL_CONTROL) return;
      const answer = await this.decideOver(s, SessionMode.FULL_CONTROL);
      if (!answer.decision.allowed) throw denied('you may not take full control of this device', answer.decision.reasons);
      if (!answer.decision.grantedPermissions.includes(RemoteHelpPermission.TAKE_FULL_CONTROL)) {
        throw denied('you may not take full control of this device', [DenialReason.MISSING_PERMISSION]);
      }
      refuseIfGated(answer, { kind: ApprovalKind.CONTROL_UPGRADE }, 'full control');
    });
  }

  async requestElevation(caller: Caller, sessionId: string): Promise<RemoteHelpSession> {
    return this.act(caller, sessionId, { type: 'ELEVATE' }, 'Elevate remote help session', async (s) => {
      const answer = await this.decideOver(s, SessionMode.FULL_CONTROL);
      if (!answer.decision.allowed) throw denied('you may not elevate on this device', answer.decision.reasons);
      if (!answer.decision.grantedPermissions.includes(RemoteHelpPermission.ELEVATION)) {
        throw denied('you may not elevate on this device: your role grants no Elevation over it', [DenialReason.MISSING_PERMISSION]);
      }
      refuseIfGated(answer, { kind: ApprovalKind.ELEVATION }, 'elevation');
    });
  }

  /** The helper's access over this session's device and sharer now, in a mode. */
  private decideOver(s: SessionRecord, mode: SessionMode): Promise<AccessAnswer> {
    const q: AccessQuery = { tenantId: s.tenantId, helperId: s.helperId, deviceId: s.deviceId, mode: s.requestedMode === SessionMode.UNATTENDED ? SessionMode.UNATTENDED : mode };
    if (s.sharerId) q.targetUserId = s.sharerId;
    return this.access.decide(q);
  }

  // ---------------------------------------------------------------- sharer side

  async joinSession(caller: Caller, securityCode: string): Promise<RemoteHelpSession> {
    const activity = 'Join remote help session';
    return this.guarded(caller, activity, null, async () => {
      if (caller.kind !== 'user') throw forbidden('a device cannot join a session: the sharer signs in as a user');
      const tenantId = tenantOf(caller);
      const code = normalizeSecurityCode(securityCode);
      const hash = code ? hashSecurityCode(code) : null;
      // The wrong-code count and the session with this code, in one read.
      const { failures: recent, found } = await this.store.joinLookup(caller.userId, this.timings.joinFailureWindowMs, hash);
      if (recent.count >= this.timings.joinMaxFailures) {
        const seconds = Math.max(1, Math.ceil(recent.retryAfterMs / 1000));
        throw badInput(`too many wrong security codes: try again in ${seconds} seconds`);
      }
      if (!found || !hash || found.tenantId.toLowerCase() !== tenantId.toLowerCase()) {
        await this.store.recordJoinFailure(tenantId, caller.userId);
        throw badInput(INVALID_CODE_MESSAGE);
      }
      const actor = actorOf(caller, found) === Actor.HELPER ? Actor.HELPER : Actor.STRANGER;
      const pre = transition(snapshotOf(found), { type: 'JOIN' }, actor);
      if (!pre.ok) throw refusal(pre);
      const answer = await this.access.decide({ tenantId, helperId: found.helperId, deviceId: found.deviceId, mode: found.requestedMode, targetUserId: caller.userId });
      if (!answer.decision.allowed) throw denied('you cannot join this session', answer.decision.reasons);
      // The join is written only if the session is still the one judged (same version) and still
      // waits with this code, unexpired; else it is read again (used or expired meanwhile: the
      // invalid-code answer) and judged again.
      let current = found;
      for (let attempt = 1; ; attempt++) {
        const r = transition(snapshotOf(current), { type: 'JOIN' }, actor);
        if (!r.ok) throw refusal(r);
        const updated = await this.store.applyWithEvents(current, r.change, this.events.outboxParams(current.tenantId, current.id, r.event!, r.activity!, auditActorOf(caller)), {
          sharerId: caller.userId,
          codeHash: hash,
        });
        if (updated) {
          this.recent.remember(updated);
          return toModel(updated);
        }
        const again = attempt < MAX_WRITE_ATTEMPTS ? await this.store.findForJoin(found.id, hash) : null;
        if (!again) throw badInput(INVALID_CODE_MESSAGE);
        current = again;
      }
    });
  }

  respondToSession(caller: Caller, sessionId: string, accept: boolean): Promise<RemoteHelpSession> {
    return this.act(caller, sessionId, { type: 'RESPOND', accept }, accept ? 'Start remote help session' : 'Decline remote help session');
  }

  respondToControlRequest(caller: Caller, sessionId: string, accept: boolean): Promise<RemoteHelpSession> {
    return this.act(caller, sessionId, { type: 'RESPOND_CONTROL', accept }, accept ? 'Change remote help control' : 'Decline full control');
  }

  // ---------------------------------------------------------------- either side

  async heartbeat(caller: Caller, sessionId: string): Promise<RemoteHelpSession> {
    const tenantId = tenantOf(caller);
    const found = await this.store.find(tenantId, sessionId);
    if (!found) throw sessionNotFound();
    const actor = actorOf(caller, found);
    const r = transition(snapshotOf(found), { type: 'HEARTBEAT' }, actor);
    if (!r.ok) throw refusal(r);
    const updated = await this.store.heartbeat(tenantId, found.id, actor === Actor.HELPER ? 'helper' : 'sharer');
    if (!updated) throw conflict('the session is over');
    return toModel(updated);
  }

  endSession(caller: Caller, sessionId: string): Promise<RemoteHelpSession> {
    return this.act(caller, sessionId, { type: 'END' }, 'End remote help session');
  }

  async sendChatMessage(caller: Caller, sessionId: string, text: string): Promise<ChatMessage> {
    const tenantId = tenantOf(caller);
    checkChatText(text);
    const found = await this.store.find(tenantId, sessionId);
    if (!found) throw sessionNotFound();
    const actor = actorOf(caller, found);
    const r = transition(snapshotOf(found), { type: 'CHAT' }, actor);
    if (!r.ok) throw refusal(r);
    if (r.event) {
      // The first message of the session: record (only) the fact that chat was used.
      await this.dataSource.transaction(async (m) => {
        const locked = await this.store.lock(m, tenantId, found.id);
        if (!locked) throw sessionNotFound();
        const again = transition(snapshotOf(locked), { type: 'CHAT' }, actorOf(caller, locked));
        if (!again.ok) throw refusal(again);
        if (!again.event) return;
        this.recent.forget(locked.id);
        const updated = await this.store.apply(m, locked, again.change);
        if (!updated) throw conflict('the session changed meanwhile; try again');
        await this.events.transitioned(m, updated, again.event, again.activity!, auditActorOf(caller));
      });
    }
    const fromUserId = (caller as Extract<Caller, { kind: 'user' }>).userId;
    const sentAt = new Date();
    const id = randomUUID();
    await this.hub.publish({
      id,
      sessionId: found.id,
      tenantId: found.tenantId,
      fromUserId,
      text,
      sentAt: sentAt.toISOString(),
      recipientIds: [found.helperId, found.sharerId].filter((x): x is string => !!x),
    });
    return { id, sessionId: found.id, from: { id: fromUserId }, text, sentAt };
  }

  // ---------------------------------------------------------------- administrator

  async terminateSession(caller: Caller, sessionId: string): Promise<RemoteHelpSession> {
    return this.act(caller, sessionId, { type: 'TERMINATE' }, 'Terminate remote help session', undefined, async () => {
      await this.admins.require(caller, AdminPermission.TERMINATE_SESSIONS);
      return Actor.ADMIN;
    });
  }

  // ---------------------------------------------------------------- the transition engine

  /**
   * One user-driven transition: judge the session as read (with a `check`, an access decision,
   * run it then, holding nothing meanwhile), then apply the change and write its events in one
   * statement guarded by the version judged. When a racing call moved the session meanwhile
   * (the guard fails, nothing is written), the session is read and judged again: so racing
   * calls cannot both win, and each is judged against the state the other left (CONFLICT...).
   */
  private async act(caller: Caller, sessionId: string, action: SessionAction, activity: string, check?: (s: SessionRecord) => Promise<void>, actorFor?: () => Promise<Actor>): Promise<RemoteHelpSession> {
    const tenantId = tenantOf(caller);
    return this.guarded(caller, activity, isUuid(sessionId) ? sessionId : null, async () => {
      const fixedActor = actorFor ? await actorFor() : undefined;
      // Without a check, the row as this instance last wrote it is a first guess (no read):
      // only a write guarded by its version can follow from it; anything else reads the row.
      let current = check ? undefined : this.recent.get(tenantId, sessionId);
      let guessed = current !== undefined;
      current ??= (await this.store.find(tenantId, sessionId)) ?? undefined;
      if (!current) throw sessionNotFound();
      if (check) {
        // The check asks rbac-service: judge the session as read first.
        const pre = transition(snapshotOf(current), action, fixedActor ?? actorOf(caller, current));
        if (!pre.ok) throw refusal(pre);
        await check(current);
      }
      for (let attempt = 1; ; attempt++) {
        const r = transition(snapshotOf(current), action, fixedActor ?? actorOf(caller, current));
        if (r.ok && r.event) {
          const next = await this.store.applyWithEvents(current, r.change, this.events.outboxParams(current.tenantId, current.id, r.event, r.activity!, auditActorOf(caller)));
          if (next) {
            this.recent.remember(next);
            return toModel(next);
          }
          this.recent.forget(current.id);
          if (attempt >= MAX_WRITE_ATTEMPTS) throw conflict('the session changed meanwhile; read it again');
        } else if (!guessed) {
          if (!r.ok) throw refusal(r);
          return toModel(current);
        }
        // The guess was refused, or the session moved on since it was judged: read it, judge again.
        guessed = false;
        const again = await this.store.find(tenantId, sessionId);
        if (!again) throw sessionNotFound();
        current = again;
      }
    });
  }

  /** Runs an audited action: any error is recorded as a Failure audit event, then rethrown. */
  private async guarded<T>(caller: Caller, activity: string, targetId: string | null, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      await this.events.failure(caller, activity, targetId, e);
      throw e;
    }
  }
}
