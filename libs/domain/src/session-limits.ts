/**
 * A tenant's limits on the length of a session (issue 19): a maximum duration, an idle limit and
 * how long an approval request stays open. Values are minutes, as the settings state them.
 */
export interface SessionLimits {
  /** null: no limit; an active session ends at its start plus this. */
  maxSessionMinutes: number | null;
  /** null: none; an active session ends when its helper reported no activity for this long. */
  idleTimeoutMinutes: number | null;
}

/** The allowed range of every limit, in minutes (a day at most). */
export const SESSION_LIMIT_MINUTES = { min: 1, max: 1440 } as const;

/** The default of `approvalTimeoutMinutes`. */
export const DEFAULT_APPROVAL_TIMEOUT_MINUTES = 30;

/** The warning comes this long before the maximum duration ends a session; for limits under 10 minutes, at half the limit. */
export const ENDING_SOON_LEAD_MINUTES = 5;

export interface LimitSettingsInput {
  maxSessionMinutes?: number | null;
  idleTimeoutMinutes?: number | null;
  approvalTimeoutMinutes?: number | null;
}

/**
 * The problems of a settings change's limits, one message per field (empty: valid). An absent
 * field is left as it is; `maxSessionMinutes` and `idleTimeoutMinutes` may be null (no limit),
 * `approvalTimeoutMinutes` may not (it has a default instead).
 */
export function limitSettingsProblems(input: LimitSettingsInput): { field: keyof LimitSettingsInput; message: string }[] {
  const problems: { field: keyof LimitSettingsInput; message: string }[] = [];
  const { min, max } = SESSION_LIMIT_MINUTES;
  for (const field of ['maxSessionMinutes', 'idleTimeoutMinutes', 'approvalTimeoutMinutes'] as const) {
    const value = input[field];
    if (value === undefined) continue;
    if (value === null) {
      if (field === 'approvalTimeoutMinutes') problems.push({ field, message: `approvalTimeoutMinutes cannot be null (it is ${DEFAULT_APPROVAL_TIMEOUT_MINUTES} by default)` });
      continue;
    }
    if (!Number.isInteger(value) || value < min || value > max)
      problems.push({ field, message: `${field} must be a whole number of minutes from ${min} to ${max}${field === 'approvalTimeoutMinutes' ? '' : ', or null for none'}` });
  }
  return problems;
}

/** Which limit ends a session. */
export enum SessionLimit {
  MAX_DURATION = 'MAX_DURATION',
  IDLE_TIMEOUT = 'IDLE_TIMEOUT',
}

export interface SessionDeadlines {
  /** When the maximum duration ends the session (null: no limit). */
  endsAt: Date | null;
  /** From when `endingSoon` is true (null: no limit). */
  endingSoonAt: Date | null;
  /** When the idle limit ends it unless the helper is active before (null: no idle limit). */
  idleEndsAt: Date | null;
}

/**
 * The deadlines of an active session under the limits it started with. `minuteMs` is how long a
 * minute of these settings lasts: 60,000 in production (tests may shorten it).
 */
export function sessionDeadlines(limits: SessionLimits, startedAt: Date, lastActivityAt: Date, minuteMs = 60_000): SessionDeadlines {
  const after = (from: Date, minutes: number) => new Date(from.getTime() + minutes * minuteMs);
  const max = limits.maxSessionMinutes;
  const lead = max === null ? 0 : max < 2 * ENDING_SOON_LEAD_MINUTES ? max / 2 : ENDING_SOON_LEAD_MINUTES;
  return {
    endsAt: max === null ? null : after(startedAt, max),
    endingSoonAt: max === null ? null : after(startedAt, max - lead),
    idleEndsAt: limits.idleTimeoutMinutes === null ? null : after(lastActivityAt > startedAt ? lastActivityAt : startedAt, limits.idleTimeoutMinutes),
  };
}

/** Whether the session is in its warning time before the maximum duration. */
export function isEndingSoon(deadlines: SessionDeadlines, now: Date): boolean {
  return deadlines.endingSoonAt !== null && now >= deadlines.endingSoonAt;
}

/** The limit that ends the session now, or null; when both are due, the one whose deadline came first (the maximum duration on a tie). */
export function dueLimit(deadlines: SessionDeadlines, now: Date): SessionLimit | null {
  const max = deadlines.endsAt !== null && now >= deadlines.endsAt ? deadlines.endsAt.getTime() : null;
  const idle = deadlines.idleEndsAt !== null && now >= deadlines.idleEndsAt ? deadlines.idleEndsAt.getTime() : null;
  if (max === null && idle === null) return null;
  if (idle === null) return SessionLimit.MAX_DURATION;
  if (max === null) return SessionLimit.IDLE_TIMEOUT;
  return max <= idle ? SessionLimit.MAX_DURATION : SessionLimit.IDLE_TIMEOUT;
}
