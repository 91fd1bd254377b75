import { Inject, Injectable } from '@nestjs/common';
import { ComplianceState, isUuid, Platform, SessionMode, SessionState } from '@remote-help/domain';
import { hasLocalOutboxRelay, OUTBOX_CHANNEL, wakeLocalOutboxRelays } from '@remote-help/events';
import { preparedQuery, rowsOf } from '@remote-help/service-kit';
import { DataSource, EntityManager } from 'typeorm';
import { SESSION_TIMINGS, SessionTimings } from '../config';
import { fromRow, SessionRecord } from './session-record';
import { APPLY_ROW_SQL, APPLY_SQL, FIND_FOR_JOIN_SQL, FIND_SQL, INSERT_SESSION_SQL, JOIN_LOOKUP_SQL, OUTBOX_PARAMS } from './session-sql';
import { SessionChange, TimerChange } from './session-state-machine';

const LIVE = `('WAITING_FOR_SHARER', 'PENDING_CONSENT', 'ACTIVE')`;

/** The tenant's chat setting as rbac-service's answer carried it. */
export interface ChatSettingParam {
  chatDisabled: boolean;
  version: number;
}

function checkOutbox(outbox: unknown[]): void {
  if (outbox.length !== OUTBOX_PARAMS) throw new TypeError(`the outbox parameters of a transition are ${OUTBOX_PARAMS} values (SessionEvents.outboxParams)`);
}

export interface NewSession {
  id: string;
  tenantId: string;
  helperId: string;
  deviceId: string;
  mode: SessionMode;
  state: SessionState;
  reason: string | null;
  platform: Platform;
  deviceEnrolled: boolean;
  deviceCompliance: ComplianceState;
  /** null for unattended sessions (no code). */
  codeHash: string | null;
  /** When the first timer fires: the code's expiry, or the unattended start. */
  dueInMs: number;
}

/**
 * The sessions table. Every write is guarded: a transition updates the row only if its version
 * is still the one the state machine judged (`WHERE id = $1 AND version = $2`); times come from
 * the database clock (`now()`), so that instances agree on deadlines. The user-driven paths
 * write the row and its events in one statement (session-sql.ts); the timers and the first
 * chat message lock rows in a transaction (`lock`, `lockDue`) and `apply` there.
 */
@Injectable()
export class SessionStore {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SESSION_TIMINGS) private readonly timings: SessionTimings,
  ) {}

  /**
   * A new session and its events (`outbox`: SessionEvents.outboxParams) in one statement,
   * with the tenant's chat setting (if given and newer than the one kept) applied first and
   * `chatEnabled` read from the setting as stored then (see INSERT_SESSION_SQL).
   */
  async insertWithEvents(s: NewSession, setting: ChatSettingParam | null, outbox: unknown[]): Promise<SessionRecord> {
    checkOutbox(outbox);
    const notify = !hasLocalOutboxRelay(this.dataSource);
    const [row] = await preparedQuery(this.dataSource, 'session_insert', INSERT_SESSION_SQL, [
      s.id,
      s.tenantId,
      s.helperId,
      s.deviceId,
      s.mode,
      s.state,
      s.reason,
      s.platform,
      s.deviceEnrolled,
      s.deviceCompliance,
      s.codeHash,
      s.dueInMs,
      setting ? setting.chatDisabled : null,
      setting ? setting.version : null,
      ...outbox,
      notify,
    ]);
    await this.wakeRelay(notify);
    return fromRow(row);
  }

  /**
   * `apply` and the transition's events in one statement (a transaction of its own), guarded by
   * the version judged. Null when the row changed meanwhile (or, with `codeHash`, a join whose
   * code is no longer valid): nothing is written then.
   */
  async applyWithEvents(before: SessionRecord, change: SessionChange, outbox: unknown[], opts: { sharerId?: string; codeHash?: string } = {}): Promise<SessionRecord | null> {
    checkOutbox(outbox);
    const notify = !hasLocalOutboxRelay(this.dataSource);
    const [row] = await preparedQuery(this.dataSource, 'session_apply', APPLY_SQL, [...this.applyParams(before, change, opts.sharerId), opts.codeHash ?? null, ...outbox, notify]);
    if (row) await this.wakeRelay(notify);
    return row ? fromRow(row) : null;
  }

  /**
   * After a statement that wrote outbox rows without notifying: wakes this process's relay (or,
   * if it stopped meanwhile, notifies after all).
   */
  private async wakeRelay(notified: boolean): Promise<void> {
    if (notified || wakeLocalOutboxRelays(this.dataSource)) return;
    await this.dataSource.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);
  }

  /** The session of this tenant with this id, or null (also for a malformed id). */
  async find(tenantId: string, id: string, m?: EntityManager): Promise<SessionRecord | null> {
    if (!isUuid(id)) return null;
    const [row] = m ? await m.query(FIND_SQL, [id, tenantId]) : await preparedQuery(this.dataSource, 'session_find', FIND_SQL, [id, tenantId]);
    return row ? fromRow(row) : null;
  }

  /**
   * For joinSession, in one round trip: the caller's wrong codes within the window (how many,
   * and when the oldest leaves it) and the session waiting for the sharer with this code, if
   * the code is still valid (none without a hash).
   */
  async joinLookup(userId: string, windowMs: number, codeHash: string | null): Promise<{ failures: { count: number; retryAfterMs: number }; found: SessionRecord | null }> {
    const [row] = await preparedQuery(this.dataSource, 'session_join_lookup', JOIN_LOOKUP_SQL, [userId, windowMs, codeHash]);
    return {
      failures: { count: Number(row.failures), retryAfterMs: Math.max(0, Number(row.retry_ms)) },
      found: row.id ? fromRow(row) : null,
    };
  }

  /** The session if it still waits for the sharer with this code, unexpired (no lock: the write that follows is guarded by the version). */
  async findForJoin(id: string, codeHash: string): Promise<SessionRecord | null> {
    const [row] = await preparedQuery(this.dataSource, 'session_find_for_join', FIND_FOR_JOIN_SQL, [id, codeHash]);
    return row ? fromRow(row) : null;
  }

  /** As `find`, locking the row until the transaction ends (transitions judge the locked row). */
  async lock(m: EntityManager, tenantId: string, id: string): Promise<SessionRecord | null> {
    if (!isUuid(id)) return null;
    const [row] = await m.query(`SELECT * FROM sessions WHERE id = $1 AND tenant_id = $2 FOR UPDATE`, [id, tenantId]);
    return row ? fromRow(row) : null;
  }

  /**
   * Applies a change the state machine allowed on `before` (the locked row). Null when the row
   * changed meanwhile (its version moved on), which the caller reports as a CONFLICT.
   */
  async apply(m: EntityManager, before: SessionRecord, change: SessionChange): Promise<SessionRecord | null> {
    const result = await m.query(APPLY_ROW_SQL, this.applyParams(before, change, undefined));
    const [row] = rowsOf(result);
    return row ? fromRow(row) : null;
  }

  /** The parameters $1 to $14 of `apply` (and APPLY_SQL). */
  private applyParams(before: SessionRecord, change: SessionChange, sharerId: string | undefined): unknown[] {
    return [
      before.id,
      before.version,
      change.state,
      change.mode ?? null,
      change.pendingControlRequest !== undefined,
      change.pendingControlRequest ?? null,
      change.elevated === true,
      change.chatUsed === true,
      sharerId ?? null,
      change.started === true,
      change.ended !== undefined,
      change.ended?.reason ?? null,
      change.timer,
      this.timerMs(change.timer),
    ];
  }

  timerMs(timer: TimerChange): number {
    switch (timer) {
      case 'JOIN':
        return this.timings.joinTimeoutMs;
      case 'CONSENT':
        return this.timings.consentTimeoutMs;
      case 'AUTO_START':
        return this.timings.unattendedStartMs;
      case 'HEARTBEAT':
        return this.timings.heartbeatTimeoutMs;
      default:
        return 0;
    }
  }

  /**
   * A party's heartbeat: its last-seen time, and (active sessions) the disconnect deadline =
   * the older of the two parties' last heartbeats + the timeout. Null when the session is no
   * longer live (it ended meanwhile).
   */
  async heartbeat(tenantId: string, id: string, side: 'helper' | 'sharer'): Promise<SessionRecord | null> {
    const mine = side === 'helper' ? 'helper_seen_at' : 'sharer_seen_at';
    const other = side === 'helper' ? 'sharer_seen_at' : 'helper_seen_at';
    const result = await this.dataSource.query(
      `UPDATE sessions SET ${mine} = now(),
         due_at = CASE WHEN state = 'ACTIVE' THEN LEAST(now(), ${other}) + ($3::bigint * interval '1 millisecond') ELSE due_at END
       WHERE id = $1 AND tenant_id = $2 AND state IN ${LIVE}
       RETURNING *`,
      [id, tenantId, this.timings.heartbeatTimeoutMs],
    );
    const [row] = rowsOf(result);
    return row ? fromRow(row) : null;
  }

  /** Sessions in which this user is the helper or the sharer (or, for a device, its unattended sessions), newest first. */
  async listForParty(tenantId: string, party: { userId: string } | { deviceId: string }, states?: SessionState[]): Promise<SessionRecord[]> {
    const params: unknown[] = [tenantId];
    let who: string;
    if ('userId' in party) {
      params.push(party.userId);
      who = `(helper_id = $2 OR sharer_id = $2)`;
    } else {
      params.push(party.deviceId);
      who = `(device_id = $2 AND requested_mode = 'UNATTENDED')`;
    }
    let filter = '';
    if (states?.length) {
      params.push(states);
      filter = `AND state = ANY($3::text[])`;
    }
    const rows = await this.dataSource.query(`SELECT * FROM sessions WHERE tenant_id = $1 AND ${who} ${filter} ORDER BY requested_at DESC LIMIT 200`, params);
    return rows.map(fromRow);
  }

  async listActive(tenantId: string): Promise<SessionRecord[]> {
    const rows = await this.dataSource.query(`SELECT * FROM sessions WHERE tenant_id = $1 AND state = 'ACTIVE' ORDER BY started_at DESC LIMIT 1000`, [tenantId]);
    return rows.map(fromRow);
  }

  /** Live sessions whose timer is due, locked; rows another instance holds are skipped. */
  /** Active sessions by tenant (for the metrics). */
  async countActiveByTenant(): Promise<{ tenantId: string; count: number }[]> {
    const rows: { tenant_id: string; n: number }[] = await this.dataSource.query(`SELECT tenant_id, count(*)::int AS n FROM sessions WHERE state = 'ACTIVE' GROUP BY tenant_id`);
    return rows.map((r) => ({ tenantId: r.tenant_id, count: r.n }));
  }

  async lockDue(m: EntityManager, limit: number): Promise<SessionRecord[]> {
    const rows = await m.query(`SELECT * FROM sessions WHERE due_at <= now() ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED`, [limit]);
    return rows.map(fromRow);
  }

  /** Clears the timer of a row the machine says has none due (a defensive repair; should not happen). */
  async clearTimer(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE sessions SET due_at = NULL WHERE id = $1`, [id]);
  }

  // ---------------------------------------------------------------- wrong security codes

  async recordJoinFailure(tenantId: string, userId: string): Promise<void> {
    await this.dataSource.query(`INSERT INTO join_failures (tenant_id, user_id) VALUES ($1, $2)`, [tenantId, userId]);
  }

  async purgeJoinFailures(olderThanMs: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM join_failures WHERE failed_at < now() - ($1::bigint * interval '1 millisecond')`, [olderThanMs]);
  }
}
