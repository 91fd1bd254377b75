import { SessionMode } from '@remote-help/domain';
import { ceilUtcDay, DAY_MS, floorUtcDay, utcDay } from '../common/time';

/**
 * How `remoteHelpMonitor(from, to)` is computed without reading every session of a busy tenant:
 * whole UTC days inside [from, to) come from the daily totals (`session_daily_stats`, kept current
 * as sessions change), and only the partial days at either end are counted from the session
 * records themselves (an index range scan of at most two days).
 */
export interface MonitorRangePlan {
  /** Time ranges [from, to) counted from session records, each within one UTC day (`day`). */
  rawRanges: { from: Date; to: Date; day: string }[];
  /** Whole days [from, to) (`YYYY-MM-DD`) read from the daily totals, or null when none. */
  fullDays: { from: string; to: string } | null;
}

export function planMonitorRange(from: Date, to: Date): MonitorRangePlan {
  if (from.getTime() >= to.getTime()) return { rawRanges: [], fullDays: null };
  const firstMidnight = ceilUtcDay(from);
  const lastMidnight = floorUtcDay(to);
  if (firstMidnight.getTime() >= lastMidnight.getTime()) {
    // No whole day inside: within one day, or across one midnight (then split there).
    if (firstMidnight.getTime() <= from.getTime() || firstMidnight.getTime() >= to.getTime()) return { rawRanges: [{ from, to, day: utcDay(from) }], fullDays: null };
    return {
      rawRanges: [
        { from, to: firstMidnight, day: utcDay(from) },
        { from: firstMidnight, to, day: utcDay(firstMidnight) },
      ],
      fullDays: null,
    };
  }
  const rawRanges: MonitorRangePlan['rawRanges'] = [];
  if (from.getTime() < firstMidnight.getTime()) rawRanges.push({ from, to: firstMidnight, day: utcDay(from) });
  if (lastMidnight.getTime() < to.getTime()) rawRanges.push({ from: lastMidnight, to, day: utcDay(lastMidnight) });
  return { rawRanges, fullDays: { from: utcDay(firstMidnight), to: utcDay(lastMidnight) } };
}

/** Every UTC date that [from, to) touches, in order (none when the range is empty). */
export function utcDaysOf(from: Date, to: Date): string[] {
  const days: string[] = [];
  if (from.getTime() >= to.getTime()) return days;
  const last = to.getTime() - 1;
  for (let t = floorUtcDay(from).getTime(); t <= last; t += DAY_MS) days.push(utcDay(new Date(t)));
  return days;
}

/** Sessions of one UTC day and one session type (from the daily totals or counted from records). */
export interface DayTypeStats {
  day: string;
  sessionType: SessionMode;
  sessions: number;
  /** sessions whose duration is known (started and ended) */
  sessionsWithDuration: number;
  totalDurationSeconds: number;
}

export interface MonitorFigures {
  activeSessions: number;
  totalSessions: number;
  averageDurationSeconds: number | null;
  sessionsByType: { sessionType: SessionMode; count: number }[];
  daily: { date: string; sessions: number; totalDurationSeconds: number }[];
}

const SESSION_TYPES = Object.values(SessionMode);

/**
 * The monitor's figures from per-day-and-type rows: every day of the range appears in `daily`
 * (with zeros), every session type in `sessionsByType` (in the enum's order); the average duration
 * is over the sessions that have one (null when none has).
 */
export function assembleMonitor(activeSessions: number, from: Date, to: Date, rows: DayTypeStats[]): MonitorFigures {
  const perDay = new Map(utcDaysOf(from, to).map((d) => [d, { date: d, sessions: 0, totalDurationSeconds: 0 }]));
  const perType = new Map(SESSION_TYPES.map((t) => [t, 0]));
  let total = 0;
  let withDuration = 0;
  let duration = 0;
  for (const r of rows) {
    const day = perDay.get(r.day);
    if (!day) continue; // outside the range: cannot happen with a plan of this range
    day.sessions += r.sessions;
    day.totalDurationSeconds += r.totalDurationSeconds;
    perType.set(r.sessionType, (perType.get(r.sessionType) ?? 0) + r.sessions);
    total += r.sessions;
    withDuration += r.sessionsWithDuration;
    duration += r.totalDurationSeconds;
  }
  return {
    activeSessions,
    totalSessions: total,
    averageDurationSeconds: withDuration > 0 ? duration / withDuration : null,
    sessionsByType: [...perType].map(([sessionType, count]) => ({ sessionType, count })),
    daily: [...perDay.values()],
  };
}
