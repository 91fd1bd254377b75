import { VerifiedTokenCache } from './verified-token-cache';

describe('VerifiedTokenCache', () => {
  it('returns a result until the token expires, never after', () => {
    const c = new VerifiedTokenCache<string>();
    c.set('t', 'alice', 1_000);
    expect(c.get('t', 999)).toBe('alice');
    expect(c.get('t', 1_000)).toBeUndefined();
    expect(c.get('t', 500)).toBeUndefined(); // forgotten once expired
  });

  it('keys on the exact token and stays bounded', () => {
    const c = new VerifiedTokenCache<number>(2);
    c.set('a', 1, 10_000);
    c.set('b', 2, 10_000);
    c.set('c', 3, 10_000);
    expect(c.get('a', 0)).toBeUndefined();
    expect([c.get('b', 0), c.get('c', 0), c.get('c ', 0)]).toEqual([2, 3, undefined]);
  });
});
