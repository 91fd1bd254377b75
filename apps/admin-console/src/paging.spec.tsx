import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Pager, SearchBox, useIdPaging } from './paging';
import { useCursorPaging } from './period';

/** A list of ids in pages of two, as the API answers `first: 3, after` (one more: is there a next page?). */
const IDS = ['a', 'b', 'c', 'd', 'e'];
function List({ usePaging }: { usePaging: Paging }) {
  const paging = usePaging();
  const from = paging.after === null ? 0 : IDS.indexOf(paging.after) + 1;
  const answer = IDS.slice(from, from + 3);
  const rows = answer.slice(0, 2);
  return (
    <>
      <output aria-label="rows">{rows.join(',')}</output>
      <output aria-label="after">{String(paging.after)}</output>
      <Pager label="Things" page={paging.page} hasNext={answer.length > 2} onNext={() => paging.next(rows[rows.length - 1])} onPrevious={paging.previous} />
      <button type="button" onClick={paging.reset}>
        Reset
      </button>
    </>
  );
}

const text = (label: string) => screen.getByLabelText(label).textContent;
const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

afterEach(cleanup);

type Paging = typeof useIdPaging | typeof useCursorPaging;
const KINDS: { name: string; usePaging: Paging }[] = [
  { name: 'keyset paging (ids)', usePaging: useIdPaging },
  { name: 'cursor paging (reports)', usePaging: useCursorPaging },
];

describe.each(KINDS)('$name with the pager', ({ usePaging }) => {
  it('goes forward with the last one shown, back without offsets, and starts again on reset', () => {
    render(<List usePaging={usePaging} />);
    expect([text('rows'), text('after'), button('Previous page').disabled, screen.getByText(/^Page /).textContent]).toEqual(['a,b', 'null', true, 'Page 1']);
    fireEvent.click(button('Next page'));
    expect([text('rows'), text('after'), screen.getByText(/^Page /).textContent]).toEqual(['c,d', 'b', 'Page 2']);
    fireEvent.click(button('Next page'));
    expect([text('rows'), button('Next page').disabled, screen.getByText(/^Page /).textContent]).toEqual(['e', true, 'Page 3']);
    fireEvent.click(button('Previous page'));
    expect([text('rows'), text('after')]).toEqual(['c,d', 'b']);
    fireEvent.click(button('Previous page'));
    fireEvent.click(button('Previous page')); // already on the first page: stays
    expect([text('rows'), text('after'), button('Previous page').disabled]).toEqual(['a,b', 'null', true]);
    fireEvent.click(button('Next page'));
    fireEvent.click(button('Reset'));
    expect([text('rows'), screen.getByText(/^Page /).textContent]).toEqual(['a,b', 'Page 1']);
  });
});

describe('the search box', () => {
  it('searches on submit with the trimmed term, not on every key', () => {
    const onSearch = vi.fn();
    render(<SearchBox label="Search users" onSearch={onSearch} />);
    fireEvent.change(screen.getByLabelText('Search users'), { target: { value: '  sharer ' } });
    expect(onSearch).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(onSearch).toHaveBeenCalledWith('sharer');
  });
});
