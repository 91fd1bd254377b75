/**
 * A minimal per-request batch loader (DataLoader's idea without the package): `load(key)` calls
 * made in the same turn of the event loop are answered by one `batch(keys)` call, run on the
 * next macrotask so that the resolvers of every item of a list have asked first. Nothing is
 * cached beyond one batch, so a later mutation of the same request reads fresh data.
 */
export class BatchLoader<K, V> {
  private pending: { keys: Set<K>; result: Promise<Map<K, V>> } | null = null;

  constructor(
    private readonly batch: (keys: K[]) => Promise<Map<K, V>>,
    private readonly missing: (key: K) => V,
  ) {}

  async load(key: K): Promise<V> {
    if (!this.pending) {
      const keys = new Set<K>();
      const result = new Promise<Map<K, V>>((resolve, reject) => {
        setImmediate(() => {
          this.pending = null;
          this.batch([...keys]).then(resolve, reject);
        });
      });
      this.pending = { keys, result };
    }
    this.pending.keys.add(key);
    const map = await this.pending.result;
    return map.has(key) ? (map.get(key) as V) : this.missing(key);
  }
}

/** Loaders kept on the GraphQL context object of one request, created on first use. */
export function loaderOn<K, V>(ctx: object, name: string, create: () => BatchLoader<K, V>): BatchLoader<K, V> {
  const bag = ((ctx as { tenantLoaders?: Map<string, unknown> }).tenantLoaders ??= new Map<string, unknown>());
  let loader = bag.get(name) as BatchLoader<K, V> | undefined;
  if (!loader) {
    loader = create();
    bag.set(name, loader);
  }
  return loader;
}
