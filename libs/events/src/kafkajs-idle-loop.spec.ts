import { CHECK_PENDING_REQUESTS_INTERVAL_MS, fixKafkajsIdleLoop, type PendingCheckState, scheduleCheckPendingRequests } from './kafkajs-idle-loop';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the same module instance that kafkajs's own connections use (kafkajs has no `exports` map).
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js');

/** A stand-in for kafkajs's queue; `sends`: its check sends what waits (no in-flight limit reached). */
function queue(over: Partial<PendingCheckState> = {}, sends = false): PendingCheckState & { checks: number } {
  const q = {
    throttledUntil: -1,
    pending: [] as unknown[],
    throttleCheckTimeoutId: null as ReturnType<typeof setTimeout> | null,
    checks: 0,
    checkPendingRequests() {
      q.checks++;
      if (sends && Date.now() >= q.throttledUntil) q.pending.length = 0;
      scheduleCheckPendingRequests.call(q); // what kafkajs's checkPendingRequests does at its end
    },
    ...over,
  };
  return q;
}

describe('kafkajs idle loop fix', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('is in place on the RequestQueue that kafkajs uses', () => {
    expect(fixKafkajsIdleLoop()).toBe(true);
    expect(RequestQueue.prototype.scheduleCheckPendingRequests).toBe(scheduleCheckPendingRequests);
  });

  it('schedules nothing when no request waits and the broker does not throttle', () => {
    const q = queue();
    q.checkPendingRequests();
    jest.advanceTimersByTime(10_000);
    expect(q.checks).toBe(1); // kafkajs 2.2.4: about 10,000 (a 1 ms loop)
    expect(q.throttleCheckTimeoutId).toBeNull();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('checks a waiting request again after 10 ms, until none waits', () => {
    const q = queue({ pending: ['request'] });
    scheduleCheckPendingRequests.call(q);
    jest.advanceTimersByTime(CHECK_PENDING_REQUESTS_INTERVAL_MS - 1);
    expect(q.checks).toBe(0);
    jest.advanceTimersByTime(1);
    expect(q.checks).toBe(1);
    jest.advanceTimersByTime(CHECK_PENDING_REQUESTS_INTERVAL_MS);
    expect(q.checks).toBe(2);
    q.pending.length = 0;
    jest.advanceTimersByTime(CHECK_PENDING_REQUESTS_INTERVAL_MS * 10);
    expect(q.checks).toBe(3); // the check that found nothing waiting scheduled no other
  });

  it('checks when a throttle ends, with or without waiting requests', () => {
    for (const pending of [[], ['request']]) {
      const q = queue({ throttledUntil: Date.now() + 250, pending: [...pending] }, true);
      scheduleCheckPendingRequests.call(q);
      jest.advanceTimersByTime(249);
      expect(q.checks).toBe(0);
      jest.advanceTimersByTime(1);
      expect(q.checks).toBe(1);
      expect(q.pending).toEqual([]);
      jest.advanceTimersByTime(1_000);
      expect(q.checks).toBe(1);
    }
  });

  it('keeps a check already scheduled instead of adding another', () => {
    const q = queue({ pending: ['request'] });
    scheduleCheckPendingRequests.call(q);
    scheduleCheckPendingRequests.call(q);
    expect(jest.getTimerCount()).toBe(1);
  });
});
