import { BatchLoader, loaderOn } from './batch-loader';

describe('BatchLoader', () => {
  it('answers the loads of one turn with one batch of distinct keys', async () => {
    const batches: string[][] = [];
    const loader = new BatchLoader<string, number>(
      async (keys) => {
        batches.push(keys);
        return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.length]));
      },
      () => -1,
    );
    // as the resolvers of a list's items do: each after a few awaits of its own
    const slow = async (k: string) => {
      await Promise.resolve();
      await Promise.resolve();
      return loader.load(k);
    };
    expect(await Promise.all([loader.load('a'), slow('bb'), loader.load('a'), loader.load('missing')])).toEqual([1, 2, 1, -1]);
    expect(batches).toEqual([['a', 'missing', 'bb']]); // 'bb' asked later in the same turn, and still joined the batch
  });

  it('caches nothing beyond a batch: a later load reads again', async () => {
    let calls = 0;
    const loader = new BatchLoader<string, number>(
      async (keys) => new Map(keys.map((k) => [k, ++calls])),
      () => 0,
    );
    expect(await loader.load('a')).toBe(1);
    expect(await loader.load('a')).toBe(2);
  });

  it('rejects every load of a failed batch', async () => {
    const loader = new BatchLoader<string, number>(
      async () => Promise.reject(new Error('db down')),
      () => 0,
    );
    await expect(Promise.all([loader.load('a'), loader.load('b')])).rejects.toThrow('db down');
  });

  it('keeps one loader per name on a request context', () => {
    const ctx = {};
    const make = () =>
      new BatchLoader<string, number>(
        async () => new Map(),
        () => 0,
      );
    const a = loaderOn(ctx, 'x', make);
    expect(loaderOn(ctx, 'x', make)).toBe(a);
    expect(loaderOn(ctx, 'y', make)).not.toBe(a);
    expect(loaderOn({}, 'x', make)).not.toBe(a);
  });
});
