import { Injectable } from '@nestjs/common';
import { SessionState } from '@remote-help/domain';
import { SessionRecord } from './session-record';

const FINAL: readonly SessionState[] = [SessionState.DECLINED, SessionState.EXPIRED, SessionState.ENDED];

/**
 * The live sessions this instance wrote last, as its writes returned them (committed rows), at
 * most `capacity` (the least recently written go first). Only a first guess of a session's row
 * for the next transition, never an answer: a transition judged on it is written only if the
 * row still has that version (the write's guard), and anything else (a refusal, a guard that
 * failed) is judged again on the row as read. A session another instance (or a timer) moved
 * meanwhile therefore costs one round trip more, never a different outcome.
 */
@Injectable()
export class RecentSessions {
  private readonly rows = new Map<string, SessionRecord>();

  /** At most this many sessions (about 1 KB each). */
  capacity = 10_000;

  /** The session as last written here, if it is of this tenant. */
  get(tenantId: string, id: string): SessionRecord | undefined {
    const s = this.rows.get(id);
    return s && s.tenantId.toLowerCase() === tenantId.toLowerCase() ? s : undefined;
  }

  /** Keeps a row just written (a final one is forgotten: nothing follows it). */
  remember(s: SessionRecord): void {
    this.rows.delete(s.id);
    if (FINAL.includes(s.state)) return;
    this.rows.set(s.id, s);
    if (this.rows.size > this.capacity) this.rows.delete(this.rows.keys().next().value!);
  }

  forget(id: string): void {
    this.rows.delete(id);
  }

  get size(): number {
    return this.rows.size;
  }
}
