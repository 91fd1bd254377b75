import { cutPage, decodeCursor, encodeCursor, pageSize } from './page';

const ID = '0b5e4f8a-1c2d-4e3f-8a9b-0c1d2e3f4a5b';

describe('pageSize', () => {
  it('is 50 when first is omitted', () => {
    expect(pageSize(undefined)).toBe(50);
    expect(pageSize(null)).toBe(50);
  });

  it('accepts 0 to 500', () => {
    expect(pageSize(0)).toBe(0);
    expect(pageSize(1)).toBe(1);
    expect(pageSize(500)).toBe(500);
  });

  it.each([501, -1, 1.5, 10_000])('refuses %p with BAD_USER_INPUT', (first) => {
    expect(() => pageSize(first)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
  });
});

describe('cursors', () => {
  it('round-trip the position (time to the millisecond, id)', () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    const c = encodeCursor('sessions', at, ID);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('sessions', c)).toEqual({ at, id: ID });
  });

  it('are opaque: no readable time or id in them', () => {
    const c = encodeCursor('audit', new Date('2026-03-04T05:06:07.089Z'), ID);
    expect(c).not.toContain(ID);
    expect(c).not.toContain('2026');
  });

  it('null or undefined: the first page', () => {
    expect(decodeCursor('sessions', null)).toBeNull();
    expect(decodeCursor('sessions', undefined)).toBeNull();
  });

  it("refuse another list's cursor", () => {
    const audit = encodeCursor('audit', new Date(), ID);
    expect(() => decodeCursor('sessions', audit)).toThrow(/not a cursor of this list/);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    ['wrong shape', Buffer.from(JSON.stringify({ a: 1 })).toString('base64url')],
    ['bad id', Buffer.from(JSON.stringify(['s', 1, 'x'])).toString('base64url')],
    ['bad time', Buffer.from(JSON.stringify(['s', 'now', ID])).toString('base64url')],
    ['time out of range', Buffer.from(JSON.stringify(['s', 9e15, ID])).toString('base64url')],
    ['too long', 'a'.repeat(201)],
  ])('refuse %s with BAD_USER_INPUT', (_what, cursor) => {
    expect(() => decodeCursor('sessions', cursor)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
  });
});

describe('cutPage', () => {
  const rows = [1, 2, 3];
  it('says whether more rows follow and where the page ends', () => {
    expect(cutPage(rows, 2, String)).toEqual({
      items: [
        { cursor: '1', node: 1 },
        { cursor: '2', node: 2 },
      ],
      pageInfo: { hasNextPage: true, endCursor: '2' },
    });
    expect(cutPage(rows, 3, String).pageInfo).toEqual({ hasNextPage: false, endCursor: '3' });
    expect(cutPage([], 3, String).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
    expect(cutPage(rows, 0, String)).toEqual({ items: [], pageInfo: { hasNextPage: true, endCursor: null } });
  });
});
