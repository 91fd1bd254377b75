import { backOff } from 'exponential-backoff';
import type { EventsLogger } from './logger';

export interface RetryForeverOptions {
  /** What is tried, for the log line of each failed attempt (e.g. "start consumer <group>"). */
  what: string;
  /** Checked after each failure: once it returns true, the last error is thrown instead of retrying. */
  stopped: () => boolean;
  log: EventsLogger;
  /** Fields added to every log line. */
  fields?: Record<string, unknown>;
  /** First wait after a failure (default 250 ms); it doubles per failure up to `maxDelayMs`. */
  initialDelayMs?: number;
  /** Longest wait between two attempts (default 5 s). */
  maxDelayMs?: number;
}

/**
 * Runs `fn` until it succeeds, for as long as it takes: after each failure it logs the attempt
 * and waits, 250 ms doubling up to 5 s, with full jitter so that many replicas coming back at
 * once do not retry in step. Rejects only once `stopped()` says so (with the last error).
 */
export function retryForever<T>(fn: () => Promise<T>, o: RetryForeverOptions): Promise<T> {
  return backOff(fn, {
    numOfAttempts: Number.POSITIVE_INFINITY,
    startingDelay: o.initialDelayMs ?? 250,
    maxDelay: o.maxDelayMs ?? 5000,
    timeMultiple: 2,
    jitter: 'full',
    retry: (err: unknown, failedAttempts: number) => {
      if (o.stopped()) return false;
      o.log.warn({ ...o.fields, attempt: failedAttempts, err: err instanceof Error ? err.message : String(err) }, `${o.what} failed; retrying with back-off`);
      return true;
    },
  });
}
