import { useState } from 'react';

export const PAGE_SIZE = 25;

/**
 * Keyset paging of the directory lists (`first` / `after` = the id of the last one shown): a stack
 * of the `after` of each page seen, so Previous goes back without offsets.
 */
export function useIdPaging() {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  const after = stack[stack.length - 1];
  return {
    after,
    page: stack.length,
    next: (lastId: string) => setStack([...stack, lastId]),
    previous: () => setStack(stack.length > 1 ? stack.slice(0, -1) : stack),
    reset: () => setStack([null]),
  };
}

export function Pager({ page, hasNext, onNext, onPrevious, label }: { page: number; hasNext: boolean; onNext: () => void; onPrevious: () => void; label: string }) {
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" onClick={onPrevious} disabled={page <= 1}>
        Previous page
      </button>
      <span aria-live="polite">Page {page}</span>
      <button type="button" onClick={onNext} disabled={!hasNext}>
        Next page
      </button>
    </nav>
  );
}

/** A search box that applies on submit (so typing does not send a request per key). */
export function SearchBox({ label, onSearch }: { label: string; onSearch: (term: string) => void }) {
  const [term, setTerm] = useState('');
  return (
    <form
      role="search"
      className="search"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(term.trim());
      }}
    >
      <label htmlFor="search">{label}</label>
      <input id="search" type="search" value={term} onChange={(e) => setTerm(e.target.value)} />
      <button type="submit">Search</button>
    </form>
  );
}
