import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SessionState } from '@remote-help/domain';
import { DataSource } from 'typeorm';
import { SESSION_TIMINGS, SessionTimings } from '../config';
import { RecentSessions } from './recent-sessions';
import { SessionEvents, SYSTEM_ACTOR } from './session-events';
import { isUnattended, SessionRecord, snapshotOf } from './session-record';
import { Actor, SessionAction, transition } from './session-state-machine';
import { SessionStore } from './session-store';

const BATCH = 100;
const PURGE_EVERY_MS = 10 * 60_000;

/** The timer action for a live session whose deadline has passed. */
export function dueAction(s: Pick<SessionRecord, 'state' | 'requestedMode'>): SessionAction | null {
  switch (s.state) {
    case SessionState.WAITING_FOR_SHARER:
      return { type: 'EXPIRE' };
    case SessionState.PENDING_CONSENT:
      return isUnattended(s) ? { type: 'AUTO_START' } : { type: 'EXPIRE' };
    case SessionState.ACTIVE:
      return { type: 'DISCONNECT' };
    default:
      return null;
  }
}

/**
 * The session timers: join and consent expiry, the unattended start, the heartbeat loss. Their
 * deadlines live in the rows (`due_at`), so they survive restarts: a session due while the
 * service was down is handled at the first sweep after it comes back. Every instance sweeps;
 * each sweep takes due rows with FOR UPDATE SKIP LOCKED in one transaction that also writes the
 * events, and the state machine judges each locked row again, so two instances never expire or
 * start the same session twice.
 */
@Injectable()
export class SessionTimers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('SessionTimers');
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private running?: Promise<void>;
  private lastPurge = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: SessionStore,
    private readonly events: SessionEvents,
    private readonly recent: RecentSessions,
    @Inject(SESSION_TIMINGS) private readonly timings: SessionTimings,
  ) {}

  onApplicationBootstrap() {
    this.schedule(0);
  }

  private schedule(delay: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule(this.timings.sweepIntervalMs));
    }, delay);
    this.timer.unref?.();
  }

  private async tick() {
    try {
      while (!this.stopped && (await this.sweepOnce()) === BATCH) {
        // a full batch: more may be due
      }
      if (Date.now() - this.lastPurge > PURGE_EVERY_MS) {
        this.lastPurge = Date.now();
        await this.store.purgeJoinFailures(Math.max(3_600_000, this.timings.joinFailureWindowMs * 2));
      }
    } catch (e) {
      this.log.error(`sweep failed (retrying at the next one): ${(e as Error).message}`);
    }
  }

  /** One sweep: handles up to BATCH due sessions in one transaction; returns how many it took. */
  async sweepOnce(): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const due = await this.store.lockDue(m, BATCH);
      for (const s of due) {
        const action = dueAction(s);
        const r = action ? transition(snapshotOf(s), action, Actor.SYSTEM) : null;
        if (!r || !r.ok || !r.event) {
          this.log.warn(`session ${s.id} in ${s.state} had a due timer with nothing to do: cleared`);
          await this.store.clearTimer(m, s.id);
          continue;
        }
        this.recent.forget(s.id);
        const next = await this.store.apply(m, s, r.change);
        if (next) await this.events.transitioned(m, next, r.event, r.activity!, SYSTEM_ACTOR);
      }
      return due.length;
    });
  }

  async beforeApplicationShutdown() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}
