import { ceilUtcDay, durationSeconds, floorUtcDay, retentionCutoff, utcDay } from './time';

describe('durationSeconds', () => {
  const t = (s: string) => new Date(s);
  it('is ended - started in whole seconds', () => {
    expect(durationSeconds(t('2026-01-01T10:00:00Z'), t('2026-01-01T10:12:34.999Z'))).toBe(754);
  });
  it('is null until the session has started and ended', () => {
    expect(durationSeconds(null, t('2026-01-01T10:00:00Z'))).toBeNull();
    expect(durationSeconds(t('2026-01-01T10:00:00Z'), null)).toBeNull();
  });
  it('is never negative (clock skew between transitions)', () => {
    expect(durationSeconds(t('2026-01-01T10:00:01Z'), t('2026-01-01T10:00:00Z'))).toBe(0);
  });
});

describe('UTC days', () => {
  it('are calendar dates at UTC, whatever the offset of the input', () => {
    expect(utcDay(new Date('2026-01-01T23:30:00-02:00'))).toBe('2026-01-02');
    expect(utcDay(new Date('2026-01-01T00:30:00+02:00'))).toBe('2025-12-31');
  });
  it('floor and ceil to midnight UTC', () => {
    const d = new Date('2026-05-06T07:08:09Z');
    expect(floorUtcDay(d).toISOString()).toBe('2026-05-06T00:00:00.000Z');
    expect(ceilUtcDay(d).toISOString()).toBe('2026-05-07T00:00:00.000Z');
    const midnight = new Date('2026-05-06T00:00:00Z');
    expect(floorUtcDay(midnight)).toEqual(midnight);
    expect(ceilUtcDay(midnight)).toEqual(midnight);
  });
});

describe('retentionCutoff', () => {
  it('is now minus the retention days', () => {
    expect(retentionCutoff(new Date('2026-03-31T12:00:00Z'), 30).toISOString()).toBe('2026-03-01T12:00:00.000Z');
  });
});
