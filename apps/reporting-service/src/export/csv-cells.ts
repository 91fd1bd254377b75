/**
 * Cells of the CSV exports, as text: times in ISO 8601 UTC, numbers as digits, booleans as
 * Yes / No (as the console shows them), null as an empty cell, and text that a spreadsheet would
 * run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) behind a
 * leading `'` (OWASP's CSV injection advice). A `verbatim` cell (the report's "--" placeholder)
 * is written as it is.
 */
export type Cell = string | number | boolean | Date | null | { verbatim: string };

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'object') return value.verbatim;
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The "--" of the report where a session has no recipient. */
export const NO_RECIPIENT = '--';
