import fc from 'fast-check';
import { NOTIFY_PART_BYTES, NotifyPartsAssembler, toNotifyParts } from './pg-broadcast';

/** Texts of characters of every UTF-8 width, and the ones JSON escapes. */
const text = fc.array(fc.constantFrom('a', ' ', 'é', '€', '😀', '"', '\\', '\n'), { maxLength: 400 }).map((cs) => cs.join(''));

describe('toNotifyParts / NotifyPartsAssembler', () => {
  it('keeps a short message in one part', () => {
    const parts = toNotifyParts('{"a":1}', 'm1');
    expect(parts).toEqual(['m1 0 1 {"a":1}']);
    expect(new NotifyPartsAssembler().add(parts[0])).toBe('{"a":1}');
  });

  it('cuts 4,000 four-byte characters into parts under the NOTIFY limit, never inside a character', () => {
    const text = '😀'.repeat(4000); // 16,000 bytes of UTF-8
    const json = JSON.stringify({ text });
    const parts = toNotifyParts(json, 'm2');
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) {
      expect(Buffer.byteLength(p)).toBeLessThan(8000);
      expect(p.includes('\uFFFD')).toBe(false);
      // No lone surrogate: every part is well-formed UTF-16 on its own.
      expect(Buffer.from(p, 'utf8').toString('utf8')).toBe(p);
    }
    const asm = new NotifyPartsAssembler();
    const results = parts.map((p) => asm.add(p));
    expect(results.slice(0, -1).every((r) => r === undefined)).toBe(true);
    expect(JSON.parse(results[results.length - 1]!).text).toBe(text);
  });

  it('puts back any message from its parts in any order, with other messages interleaved (property)', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), fc.integer({ min: 16, max: 256 }), fc.nat(), (texts, maxBytes, seed) => {
        const all = texts.flatMap((t, k) => toNotifyParts(JSON.stringify({ t }), `m${k}`, maxBytes).map((p) => ({ k, p })));
        // Each chunk within the limit (a lone character wider than the limit travels alone).
        expect(all.filter(({ p }) => Buffer.byteLength(p.replace(/^\S+ \d+ \d+ /, '')) > Math.max(maxBytes, 4))).toEqual([]);
        // A deterministic shuffle.
        let s = seed;
        const shuffled = [...all].sort(() => ((s = (s * 1103515245 + 12345) % 2 ** 31) % 3) - 1);
        const asm = new NotifyPartsAssembler();
        const done = new Map<number, string>();
        for (const { k, p } of shuffled) {
          const whole = asm.add(p);
          if (whole !== undefined) done.set(k, JSON.parse(whole).t);
        }
        expect(texts.map((_, k) => done.get(k))).toEqual(texts);
      }),
      { numRuns: 200 },
    );
  });

  it('drops a message whose parts do not all arrive in time, and refuses what is not a part', () => {
    const parts = toNotifyParts(JSON.stringify({ t: 'x'.repeat(NOTIFY_PART_BYTES * 2) }), 'm3');
    const asm = new NotifyPartsAssembler(1000);
    expect(asm.add(parts[0], 0)).toBeUndefined();
    // The rest come too late: the first part was forgotten, so the message never completes.
    for (const p of parts.slice(1)) expect(asm.add(p, 5000)).toBeUndefined();
    expect(() => asm.add('hello')).toThrow('not a NOTIFY part');
    expect(() => asm.add('m 3 2 x')).toThrow('not a NOTIFY part');
  });
});
