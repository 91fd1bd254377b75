import fc from 'fast-check';
import { dueLimit, isEndingSoon, limitSettingsProblems, SessionLimit, sessionDeadlines } from './session-limits';

const MIN = 60_000;
const T0 = new Date('2026-03-01T09:00:00Z');
const at = (minutes: number, minuteMs = MIN) => new Date(T0.getTime() + minutes * minuteMs);

describe('limitSettingsProblems', () => {
  it('accepts every whole number of minutes from 1 to 1440, null for the two limits, and absent fields', () => {
    for (let m = 1; m <= 1440; m++) expect(limitSettingsProblems({ maxSessionMinutes: m, idleTimeoutMinutes: m, approvalTimeoutMinutes: m })).toEqual([]);
    expect(limitSettingsProblems({ maxSessionMinutes: null, idleTimeoutMinutes: null })).toEqual([]);
    expect(limitSettingsProblems({})).toEqual([]);
  });

  it('names each field out of range, fractional or not a number, and a null approval timeout', () => {
    for (const bad of [0, -1, 1441, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(limitSettingsProblems({ maxSessionMinutes: bad, idleTimeoutMinutes: 10, approvalTimeoutMinutes: bad })).toEqual([
        { field: 'maxSessionMinutes', message: 'maxSessionMinutes must be a whole number of minutes from 1 to 1440, or null for none' },
        { field: 'approvalTimeoutMinutes', message: 'approvalTimeoutMinutes must be a whole number of minutes from 1 to 1440' },
      ]);
    }
    expect(limitSettingsProblems({ idleTimeoutMinutes: 0 }).map((p) => p.field)).toEqual(['idleTimeoutMinutes']);
    expect(limitSettingsProblems({ approvalTimeoutMinutes: null })).toEqual([{ field: 'approvalTimeoutMinutes', message: 'approvalTimeoutMinutes cannot be null (it is 30 by default)' }]);
  });
});

describe('sessionDeadlines', () => {
  it('has none without limits', () => {
    expect(sessionDeadlines({ maxSessionMinutes: null, idleTimeoutMinutes: null }, T0, T0)).toEqual({ endsAt: null, endingSoonAt: null, idleEndsAt: null });
  });

  it('warns 5 minutes before the end, or at half of a limit under 10 minutes, for every limit', () => {
    for (let max = 1; max <= 1440; max++) {
      const d = sessionDeadlines({ maxSessionMinutes: max, idleTimeoutMinutes: null }, T0, T0);
      expect(d.endsAt).toEqual(at(max));
      expect(d.endingSoonAt).toEqual(at(max < 10 ? max / 2 : max - 5));
      expect(d.idleEndsAt).toBeNull();
    }
  });

  it('counts the idle limit from the last activity, or from the start when there was none since', () => {
    const limits = { maxSessionMinutes: null, idleTimeoutMinutes: 15 };
    expect(sessionDeadlines(limits, T0, at(7)).idleEndsAt).toEqual(at(22));
    expect(sessionDeadlines(limits, T0, at(-60)).idleEndsAt).toEqual(at(15));
  });

  it('lasts what a minute lasts: a shortened minute scales every deadline', () => {
    const d = sessionDeadlines({ maxSessionMinutes: 20, idleTimeoutMinutes: 3 }, T0, T0, 100);
    expect(d).toEqual({ endsAt: at(20, 100), endingSoonAt: at(15, 100), idleEndsAt: at(3, 100) });
  });
});

describe('isEndingSoon and dueLimit', () => {
  const d = sessionDeadlines({ maxSessionMinutes: 60, idleTimeoutMinutes: 20 }, T0, T0);

  it('turns endingSoon on at the warning and not before', () => {
    expect(isEndingSoon(d, at(54.99))).toBe(false);
    expect(isEndingSoon(d, at(55))).toBe(true);
    expect(isEndingSoon(sessionDeadlines({ maxSessionMinutes: null, idleTimeoutMinutes: 20 }, T0, T0), at(1e6))).toBe(false);
  });

  it('is due at the deadline, not a millisecond before', () => {
    expect(dueLimit(d, new Date(at(20).getTime() - 1))).toBeNull();
    expect(dueLimit(d, at(20))).toBe(SessionLimit.IDLE_TIMEOUT);
    const active = sessionDeadlines({ maxSessionMinutes: 60, idleTimeoutMinutes: 20 }, T0, at(50));
    expect(dueLimit(active, at(60))).toBe(SessionLimit.MAX_DURATION);
  });

  it('when both are due, names the one that came first (the maximum duration on a tie), against an oracle', () => {
    const limitArb = fc.option(fc.integer({ min: 1, max: 120 }), { nil: null });
    fc.assert(
      fc.property(limitArb, limitArb, fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 400 }), (max, idle, activity, now) => {
        const deadlines = sessionDeadlines({ maxSessionMinutes: max, idleTimeoutMinutes: idle }, T0, at(activity));
        const maxAt = max === null ? Infinity : max;
        const idleAt = idle === null ? Infinity : activity + idle;
        let expected: SessionLimit | null = null;
        if (now >= maxAt || now >= idleAt) expected = maxAt <= idleAt ? SessionLimit.MAX_DURATION : SessionLimit.IDLE_TIMEOUT;
        expect(dueLimit(deadlines, at(now))).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });
});
