import { useState } from 'react';

/** A period filter: from / to dates (UTC days, `to` inclusive), as ISO date-times for the API. */
export function usePeriod(defaultDays = 30) {
  // The default dates are read once, when the filter is first shown.
  const [from, setFrom] = useState(() => new Date(Date.now() - defaultDays * 86_400_000).toISOString().slice(0, 10));
  const [to, setTo] = useState(() => new Date().toISOString().slice(0, 10));
  const iso = {
    from: from ? `${from}T00:00:00.000Z` : undefined,
    to: to ? new Date(Date.parse(`${to}T00:00:00.000Z`) + 86_400_000).toISOString() : undefined,
  };
  const fields = (
    <>
      <span className="field">
        <label htmlFor="period-from">From</label>
        <input id="period-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      </span>
      <span className="field">
        <label htmlFor="period-to">To</label>
        <input id="period-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </span>
    </>
  );
  return { iso, fields };
}

/** Cursor paging of the reports: a stack of the `after` cursors of the pages seen. */
export function useCursorPaging() {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  return {
    after: stack[stack.length - 1],
    page: stack.length,
    next: (cursor: string) => setStack([...stack, cursor]),
    previous: () => setStack(stack.length > 1 ? stack.slice(0, -1) : stack),
    reset: () => setStack([null]),
  };
}
