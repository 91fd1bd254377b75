import { csvCell, NO_RECIPIENT } from './csv-cells';

describe('csvCell', () => {
  it('writes times in ISO 8601 UTC, numbers as digits, booleans as Yes / No, null as empty', () => {
    expect(csvCell(new Date(Date.UTC(2026, 11, 7, 16, 5, 3, 120)))).toBe('2026-12-07T16:05:03.120Z');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(true)).toBe('Yes');
    expect(csvCell(false)).toBe('No');
    expect(csvCell(null)).toBe('');
  });

  it.each(['=1+1', '+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', '=HYPERLINK("http://x")'])('puts a quote before text a spreadsheet would run: %j', (text) => {
    expect(csvCell(text)).toBe(`'${text}`);
  });

  it('leaves other text alone, and the "--" placeholder when verbatim', () => {
    for (const text of ['Ada Lovelace', 'a=b', ' =x', "'quoted", '', 'ümlaut, "comma"']) expect(csvCell(text)).toBe(text);
    expect(csvCell({ verbatim: NO_RECIPIENT })).toBe('--');
    expect(csvCell('--')).toBe("'--"); // as text (a name), it is escaped like any other
  });
});
