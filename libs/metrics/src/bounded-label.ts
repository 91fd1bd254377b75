/** The label value that stands for every value past a label's cap. */
export const OTHER = 'other';

/**
 * Keeps a label's values few: the first `max` distinct values are used as they are, any later
 * one becomes `other` (a Prometheus series per value costs memory on both sides forever).
 * Values must also look like `pattern` (default: a GraphQL name or an error code); anything
 * else is `other` too.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    readonly max: number,
    private readonly pattern: RegExp = /^[_A-Za-z][_0-9A-Za-z-]{0,63}$/,
  ) {
    if (!(Number.isInteger(max) && max >= 0)) throw new TypeError('BoundedLabel: max must be an integer >= 0');
  }

  /** The label value to use for `value`. */
  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max || !this.pattern.test(value)) return OTHER;
    this.seen.add(value);
    return value;
  }
}

/**
 * The `max` largest of `counts` by key, and the sum of the rest under `other`: a label that
 * names a tenant (say) for the biggest ones only.
 */
export function topWithOther(counts: Iterable<{ key: string; value: number }>, max: number): { key: string; value: number }[] {
  const sorted = [...counts].sort((a, b) => b.value - a.value || (a.key < b.key ? -1 : 1));
  const top = sorted.slice(0, max);
  const rest = sorted.slice(max);
  if (rest.length) top.push({ key: OTHER, value: rest.reduce((s, r) => s + r.value, 0) });
  return top;
}
