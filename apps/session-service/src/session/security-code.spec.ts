import { CODE_ALPHABET, hashSecurityCode, newSecurityCode, normalizeSecurityCode } from './security-code';

describe('security codes', () => {
  it('are 8 characters of the alphabet, without look-alikes', () => {
    for (const c of ['0', 'O', '1', 'I', 'L']) expect(CODE_ALPHABET).not.toContain(c);
    for (let i = 0; i < 200; i++) expect(newSecurityCode()).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
  });

  it('are spread over the whole alphabet (no character is starved)', () => {
    const seen = new Map<string, number>();
    for (let i = 0; i < 2000; i++) for (const c of newSecurityCode()) seen.set(c, (seen.get(c) ?? 0) + 1);
    expect(seen.size).toBe(CODE_ALPHABET.length);
    // 16,000 draws over 31 characters: about 516 each
    for (const n of seen.values()) expect(n).toBeGreaterThan(350);
  });

  it('do not repeat in practice', () => {
    const codes = new Set(Array.from({ length: 5000 }, newSecurityCode));
    expect(codes.size).toBe(5000);
  });

  it('are read as typed: case, spaces and dashes do not matter; anything else is no code', () => {
    expect(normalizeSecurityCode('abcd-efgh')).toBe('ABCDEFGH');
    expect(normalizeSecurityCode(' ABCD EFGH ')).toBe('ABCDEFGH');
    expect(normalizeSecurityCode('ABCDEFG')).toBeNull();
    expect(normalizeSecurityCode('ABCDEFGO')).toBeNull();
    expect(normalizeSecurityCode('x'.repeat(100))).toBeNull();
  });

  it('are stored as a hash only', () => {
    const h = hashSecurityCode('ABCDEFGH');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toContain('ABCDEFGH');
    expect(hashSecurityCode('ABCDEFGH')).toBe(h);
    expect(hashSecurityCode('ABCDEFGJ')).not.toBe(h);
  });
});
