/**
 * kafkajs 2.2.4 keeps every broker connection busy while it has nothing to do: after each
 * request its RequestQueue schedules a check of pending requests at `throttledUntil - now`,
 * which is negative when the broker never throttled (`throttledUntil` starts at -1), so
 * Node runs the check after 1 ms, and the check schedules the next one: a 1 ms timer loop per
 * connection, forever (kafkajs issues #1556, #1704, #1751; Node 24 also prints a
 * TimeoutNegativeWarning for it). Measured here: 3-4% of a core per idle service, most of it
 * in these timers.
 *
 * The check is only needed while requests wait (`pending`): `push` schedules it when it queues
 * one, and a fulfilled request runs it. So when nothing waits and the broker does not throttle,
 * nothing is scheduled (the fix proposed upstream in kafkajs PR #1768's review); otherwise it is
 * scheduled exactly as kafkajs does. Applied once, when this module is loaded (kafka-client.ts
 * loads it, so every client that this project creates has it).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs has no `exports` map: its own modules load this same instance of the class.
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as RequestQueueClass;

/** kafkajs's CHECK_PENDING_REQUESTS_INTERVAL (ms): how soon a waiting request is looked at again. */
export const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/** The fields of kafkajs's RequestQueue that the check reads and writes. */
export interface PendingCheckState {
  throttledUntil: number;
  pending: unknown[];
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  checkPendingRequests(): void;
}

interface RequestQueueClass {
  prototype: PendingCheckState & { scheduleCheckPendingRequests(): void };
}

/** kafkajs's `scheduleCheckPendingRequests`, without the idle loop. */
export function scheduleCheckPendingRequests(this: PendingCheckState): void {
  if (this.throttleCheckTimeoutId) return;
  let scheduleAt = this.throttledUntil - Date.now();
  if (this.pending.length > 0) scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL_MS;
  else if (scheduleAt <= 0) return; // nothing waits and no throttle: nothing to check
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, scheduleAt);
}

/** Replaces kafkajs's method (again, harmlessly, if this module is loaded twice); true when it is in place. */
export function fixKafkajsIdleLoop(): boolean {
  const proto = RequestQueue.prototype;
  if (typeof proto.scheduleCheckPendingRequests !== 'function') {
    throw new Error('kafkajs RequestQueue.scheduleCheckPendingRequests not found: kafkajs changed, review libs/events/src/kafkajs-idle-loop.ts');
  }
  proto.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  return proto.scheduleCheckPendingRequests === scheduleCheckPendingRequests;
}

fixKafkajsIdleLoop();
