import { SessionMode } from '@remote-help/domain';
import { assembleMonitor, planMonitorRange, utcDaysOf } from './monitor-math';

const t = (s: string) => new Date(s);

describe('planMonitorRange', () => {
  it('reads whole days from the daily totals and the partial ends from the records', () => {
    expect(planMonitorRange(t('2026-01-01T10:00:00Z'), t('2026-01-05T06:00:00Z'))).toEqual({
      rawRanges: [
        { from: t('2026-01-01T10:00:00Z'), to: t('2026-01-02T00:00:00Z'), day: '2026-01-01' },
        { from: t('2026-01-05T00:00:00Z'), to: t('2026-01-05T06:00:00Z'), day: '2026-01-05' },
      ],
      fullDays: { from: '2026-01-02', to: '2026-01-05' },
    });
  });

  it('needs no records when both ends are at midnight', () => {
    expect(planMonitorRange(t('2026-01-01T00:00:00Z'), t('2026-01-03T00:00:00Z'))).toEqual({ rawRanges: [], fullDays: { from: '2026-01-01', to: '2026-01-03' } });
  });

  it('counts a range without a whole day in it from the records alone, split at midnight', () => {
    const within = { from: t('2026-01-01T01:00:00Z'), to: t('2026-01-01T05:00:00Z') };
    expect(planMonitorRange(within.from, within.to)).toEqual({ rawRanges: [{ ...within, day: '2026-01-01' }], fullDays: null });
    expect(planMonitorRange(t('2026-01-01T22:00:00Z'), t('2026-01-02T05:00:00Z'))).toEqual({
      rawRanges: [
        { from: t('2026-01-01T22:00:00Z'), to: t('2026-01-02T00:00:00Z'), day: '2026-01-01' },
        { from: t('2026-01-02T00:00:00Z'), to: t('2026-01-02T05:00:00Z'), day: '2026-01-02' },
      ],
      fullDays: null,
    });
    const fromMidnight = { from: t('2026-01-02T00:00:00Z'), to: t('2026-01-02T05:00:00Z') };
    expect(planMonitorRange(fromMidnight.from, fromMidnight.to)).toEqual({ rawRanges: [{ ...fromMidnight, day: '2026-01-02' }], fullDays: null });
    const toMidnight = { from: t('2026-01-01T05:00:00Z'), to: t('2026-01-02T00:00:00Z') };
    expect(planMonitorRange(toMidnight.from, toMidnight.to)).toEqual({ rawRanges: [{ ...toMidnight, day: '2026-01-01' }], fullDays: null });
  });

  it('plans nothing for an empty range', () => {
    expect(planMonitorRange(t('2026-01-02T00:00:00Z'), t('2026-01-02T00:00:00Z'))).toEqual({ rawRanges: [], fullDays: null });
  });

  it('covers [from, to) exactly, without gap or overlap (random ranges)', () => {
    const DAY = 86_400_000;
    for (let i = 0; i < 500; i++) {
      const from = Date.UTC(2026, 0, 1) + Math.floor(Math.random() * 10 * DAY);
      const to = from + Math.floor(Math.random() * 10 * DAY);
      const plan = planMonitorRange(new Date(from), new Date(to));
      const pieces = plan.rawRanges.map((r) => [r.from.getTime(), r.to.getTime()]);
      if (plan.fullDays) pieces.push([Date.parse(`${plan.fullDays.from}T00:00:00Z`), Date.parse(`${plan.fullDays.to}T00:00:00Z`)]);
      pieces.sort((a, b) => a[0] - b[0]);
      if (from === to) {
        expect(pieces).toEqual([]);
        continue;
      }
      expect(pieces[0][0]).toBe(from);
      expect(pieces[pieces.length - 1][1]).toBe(to);
      for (let k = 1; k < pieces.length; k++) expect(pieces[k][0]).toBe(pieces[k - 1][1]);
      for (const [a, b] of pieces) expect(b).toBeGreaterThan(a);
      // each raw range lies within its one UTC day
      for (const r of plan.rawRanges) {
        expect(r.from.toISOString().slice(0, 10)).toBe(r.day);
        expect(new Date(r.to.getTime() - 1).toISOString().slice(0, 10)).toBe(r.day);
      }
    }
  });
});

describe('utcDaysOf', () => {
  it('lists every UTC date the range touches (to is exclusive)', () => {
    expect(utcDaysOf(t('2026-01-30T23:00:00Z'), t('2026-02-02T00:00:00Z'))).toEqual(['2026-01-30', '2026-01-31', '2026-02-01']);
    expect(utcDaysOf(t('2026-01-30T23:00:00Z'), t('2026-02-02T00:00:00.001Z'))).toEqual(['2026-01-30', '2026-01-31', '2026-02-01', '2026-02-02']);
    expect(utcDaysOf(t('2026-01-30T00:00:00Z'), t('2026-01-30T00:00:00Z'))).toEqual([]);
  });
});

describe('assembleMonitor', () => {
  it('sums per day and per type, with zeros for quiet days and types, and averages known durations', () => {
    const m = assembleMonitor(2, t('2026-01-01T12:00:00Z'), t('2026-01-04T00:00:00Z'), [
      { day: '2026-01-01', sessionType: SessionMode.VIEW_ONLY, sessions: 3, sessionsWithDuration: 2, totalDurationSeconds: 100 },
      { day: '2026-01-03', sessionType: SessionMode.VIEW_ONLY, sessions: 1, sessionsWithDuration: 1, totalDurationSeconds: 50 },
      { day: '2026-01-03', sessionType: SessionMode.UNATTENDED, sessions: 2, sessionsWithDuration: 0, totalDurationSeconds: 0 },
    ]);
    expect(m).toEqual({
      activeSessions: 2,
      totalSessions: 6,
      averageDurationSeconds: 50,
      sessionsByType: [
        { sessionType: SessionMode.VIEW_ONLY, count: 4 },
        { sessionType: SessionMode.FULL_CONTROL, count: 0 },
        { sessionType: SessionMode.UNATTENDED, count: 2 },
      ],
      daily: [
        { date: '2026-01-01', sessions: 3, totalDurationSeconds: 100 },
        { date: '2026-01-02', sessions: 0, totalDurationSeconds: 0 },
        { date: '2026-01-03', sessions: 3, totalDurationSeconds: 50 },
      ],
    });
  });

  it('has no average when no session has a duration', () => {
    const m = assembleMonitor(0, t('2026-01-01T00:00:00Z'), t('2026-01-02T00:00:00Z'), [{ day: '2026-01-01', sessionType: SessionMode.FULL_CONTROL, sessions: 1, sessionsWithDuration: 0, totalDurationSeconds: 0 }]);
    expect(m.averageDurationSeconds).toBeNull();
    expect(m.totalSessions).toBe(1);
  });

  it('adds rows of the same day from the daily totals and from the records', () => {
    const m = assembleMonitor(0, t('2026-01-01T00:00:00Z'), t('2026-01-02T00:00:00Z'), [
      { day: '2026-01-01', sessionType: SessionMode.FULL_CONTROL, sessions: 1, sessionsWithDuration: 1, totalDurationSeconds: 10 },
      { day: '2026-01-01', sessionType: SessionMode.FULL_CONTROL, sessions: 2, sessionsWithDuration: 1, totalDurationSeconds: 20 },
    ]);
    expect(m.daily).toEqual([{ date: '2026-01-01', sessions: 3, totalDurationSeconds: 30 }]);
    expect(m.averageDurationSeconds).toBe(15);
  });
});
