import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { usePeriod } from './period';

function Picker({ days }: { days?: number }) {
  const { iso, fields } = usePeriod(days);
  return (
    <>
      {fields}
      <output aria-label="from">{iso.from ?? 'none'}</output>
      <output aria-label="to">{iso.to ?? 'none'}</output>
    </>
  );
}

const text = (label: string) => screen.getByLabelText(label).textContent;

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('the period picker', () => {
  it('starts at the last N days up to today, the To day included (the API gets the next midnight, UTC)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-31T23:30:00Z'));
    render(<Picker days={30} />);
    expect([(screen.getByLabelText('From') as HTMLInputElement).value, (screen.getByLabelText('To') as HTMLInputElement).value]).toEqual(['2026-03-01', '2026-03-31']);
    expect([text('from'), text('to')]).toEqual(['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']);
  });

  it('follows the chosen days, across a month and a year; an emptied field means no bound', () => {
    render(<Picker />);
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2025-12-30' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2025-12-31' } });
    expect([text('from'), text('to')]).toEqual(['2025-12-30T00:00:00.000Z', '2026-01-01T00:00:00.000Z']);
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2024-02-28' } });
    expect(text('to')).toBe('2024-02-29T00:00:00.000Z');
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '' } });
    expect([text('from'), text('to')]).toEqual(['none', 'none']);
  });
});
