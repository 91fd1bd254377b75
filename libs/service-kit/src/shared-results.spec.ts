import { SharedResults } from './shared-results';

describe('SharedResults', () => {
  it('shares one lookup in flight among callers with the same key, and not across keys', async () => {
    const shared = new SharedResults<number>(1000);
    let calls = 0;
    let release!: (n: number) => void;
    const lookup = () => {
      calls++;
      return new Promise<number>((r) => (release = r));
    };
    const a = shared.get('k', 1, lookup);
    const b = shared.get('k', 1, lookup);
    expect(calls).toBe(1);
    release(7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    await shared.get('other', 1, async () => (calls++, 1));
    expect(calls).toBe(2);
  });

  it('reuses a result within the TTL at the same revision, and asks again after it or at another revision', async () => {
    let now = 0;
    const shared = new SharedResults<number>(1000, 100, () => now);
    let calls = 0;
    const lookup = async () => ++calls;
    expect(await shared.get('k', 1, lookup)).toBe(1);
    now = 900;
    expect(await shared.get('k', 1, lookup)).toBe(1);
    expect(await shared.get('k', 2, lookup)).toBe(2); // something was published meanwhile
    now = 2000;
    expect(await shared.get('k', 2, lookup)).toBe(3); // too old
  });

  it('never keeps a failure', async () => {
    const shared = new SharedResults<number>(1000);
    await expect(shared.get('k', 1, () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await shared.get('k', 1, async () => 5)).toBe(5);
  });

  it('stays bounded', async () => {
    const shared = new SharedResults<number>(1000, 3);
    for (let i = 0; i < 10; i++) await shared.get(`k${i}`, 1, async () => i);
    expect(shared.size).toBeLessThanOrEqual(3);
  });
});
