/**
 * Shares one lookup among callers that need the same answer at about the same time (e.g. a
 * user's admin permissions on a busy dashboard, or thousands of subscriptions reconnecting at
 * once as the same administrator): callers with the same key wait for the lookup in flight, and
 * a result is reused for less than `ttlMs` after it arrived, as long as the `revision` given
 * with it is unchanged (`ttlMs` 0: only the lookup in flight is shared). Failures are never
 * kept: the next caller asks again.
 */
export class SharedResults<T> {
  private readonly entries = new Map<string, { revision: unknown; at: number; settled: boolean; value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get(key: string, revision: unknown, lookup: () => Promise<T>): Promise<T> {
    const e = this.entries.get(key);
    if (e && e.revision === revision && (!e.settled || this.now() - e.at < this.ttlMs)) return e.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const entry = { revision, at: this.now(), settled: false, value: lookup() };
    this.entries.set(key, entry);
    entry.value.then(
      () => {
        entry.settled = true;
        entry.at = this.now();
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.value;
  }

  get size(): number {
    return this.entries.size;
  }
}
