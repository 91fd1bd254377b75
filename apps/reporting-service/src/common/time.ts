export const DAY_MS = 86_400_000;

/** The UTC calendar date of a time, `YYYY-MM-DD`. */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Midnight UTC at or before `d`. */
export function floorUtcDay(d: Date): Date {
  return new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);
}

/** Midnight UTC at or after `d`. */
export function ceilUtcDay(d: Date): Date {
  return new Date(Math.ceil(d.getTime() / DAY_MS) * DAY_MS);
}

/** Whole seconds from start to end (rounded down, never negative); null until both are known. */
export function durationSeconds(startedAt: Date | null, endedAt: Date | null): number | null {
  if (!startedAt || !endedAt) return null;
  return Math.max(0, Math.floor((endedAt.getTime() - startedAt.getTime()) / 1000));
}

/** `now - days`: the oldest time that reports keep. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}
