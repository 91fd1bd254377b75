import { GraphQLError } from 'graphql';
import {
  afterIdOf,
  checkMemberKind,
  containsPattern,
  describeChanges,
  idListOf,
  licenseDatesOf,
  MAX_IDS,
  missingIds,
  optionalText,
  pageSizeOf,
  pictureUrlOf,
  requiredText,
  searchTermOf,
  userPrincipalNameOf,
  verifiedDomainOf,
} from './directory.rules';

/** The code and message of the GraphQL error `fn` throws. */
function refusal(fn: () => unknown): { code: unknown; message: string } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GraphQLError);
    return { code: (e as GraphQLError).extensions.code, message: (e as GraphQLError).message };
  }
  throw new Error('expected a refusal');
}

const U1 = '0b5f6a4e-8a59-4a53-9d39-1f1a2b3c4d5e';
const U2 = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('requiredText / optionalText', () => {
  it('trims and accepts 1 to 256 characters', () => {
    expect(requiredText('  Ada Lovelace ', 'displayName')).toBe('Ada Lovelace');
    expect(requiredText('x'.repeat(256), 'displayName')).toHaveLength(256);
  });

  it('refuses empty, blank, too long and control characters, naming the field', () => {
    for (const bad of ['', '   ', undefined, null, 42]) expect(refusal(() => requiredText(bad, 'displayName'))).toEqual({ code: 'BAD_USER_INPUT', message: 'displayName must not be empty' });
    expect(refusal(() => requiredText('x'.repeat(257), 'displayName')).message).toBe('displayName must have at most 256 characters (it has 257)');
    expect(refusal(() => requiredText('a\u0000b', 'jobTitle')).message).toBe('jobTitle must not contain control characters');
    expect(refusal(() => requiredText('a\nb', 'jobTitle')).code).toBe('BAD_USER_INPUT');
    expect(refusal(() => requiredText('x'.repeat(129), 'osVersion', 128)).message).toMatch(/at most 128/);
  });

  it('keeps undefined (not given), clears null and blank, checks the rest', () => {
    expect(optionalText(undefined, 'jobTitle')).toBeUndefined();
    expect(optionalText(null, 'jobTitle')).toBeNull();
    expect(optionalText('  ', 'jobTitle')).toBeNull();
    expect(optionalText(' Engineer ', 'jobTitle')).toBe('Engineer');
    expect(refusal(() => optionalText('x'.repeat(300), 'jobTitle')).code).toBe('BAD_USER_INPUT');
  });
});

describe('pictureUrlOf', () => {
  it('accepts absolute http(s) URLs up to 2048 characters', () => {
    expect(pictureUrlOf('https://cdn.contoso.com/ada.png')).toBe('https://cdn.contoso.com/ada.png');
    expect(pictureUrlOf(undefined)).toBeUndefined();
    expect(pictureUrlOf('')).toBeNull();
  });

  it('refuses other schemes, relative URLs and too long ones', () => {
    for (const bad of ['javascript:alert(1)', 'ftp://x.com/a.png', '/ada.png', 'not a url', `https://x.com/${'a'.repeat(2040)}`]) {
      expect(refusal(() => pictureUrlOf(bad)).code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('userPrincipalNameOf', () => {
  const domains = ['contoso.com', 'Fabrikam.com'];

  it('accepts name@domain in a verified domain, case-insensitively, trimmed', () => {
    expect(userPrincipalNameOf(' ada@contoso.com ', domains)).toBe('ada@contoso.com');
    expect(userPrincipalNameOf('Bob@FABRIKAM.COM', domains)).toBe('Bob@FABRIKAM.COM');
  });

  it('refuses what is not a UPN', () => {
    for (const bad of ['', 'ada', 'ada@', '@contoso.com', 'ada lovelace@contoso.com', 'ada@contoso', `${'a'.repeat(250)}@contoso.com`, 'a\u0000@contoso.com']) {
      expect(refusal(() => userPrincipalNameOf(bad, domains)).code).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses a domain the tenant has not verified, naming it and the verified ones', () => {
    expect(refusal(() => userPrincipalNameOf('eve@evil.com', domains))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'the domain evil.com of eve@evil.com is not a verified domain of this tenant (verified: contoso.com, fabrikam.com)',
    });
    expect(refusal(() => userPrincipalNameOf('eve@sub.contoso.com', domains)).code).toBe('BAD_USER_INPUT');
  });

  it('gives the verified domain of a UPN for the profile', () => {
    expect(verifiedDomainOf('Ada@Contoso.com', domains)).toBe('contoso.com');
    expect(verifiedDomainOf('eve@evil.com', domains)).toBeNull();
  });
});

describe('search and page size', () => {
  it('trims the search term; blank is no search', () => {
    expect(searchTermOf(undefined)).toBeNull();
    expect(searchTermOf('  ')).toBeNull();
    expect(searchTermOf(' ada ')).toBe('ada');
    expect(refusal(() => searchTermOf('x'.repeat(257))).code).toBe('BAD_USER_INPUT');
  });

  it('matches %, _ and \\ literally', () => {
    expect(containsPattern('ada')).toBe('%ada%');
    expect(containsPattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });

  it('first: default 50, 1 to 500', () => {
    expect(pageSizeOf(undefined)).toBe(50);
    expect(pageSizeOf(null)).toBe(50);
    expect(pageSizeOf(1)).toBe(1);
    expect(pageSizeOf(500)).toBe(500);
    for (const bad of [0, -1, 501, 2.5]) expect(refusal(() => pageSizeOf(bad))).toEqual({ code: 'BAD_USER_INPUT', message: 'first must be between 1 and 500' });
  });

  it('after: absent is the first page; an id (lower-cased); anything else is refused', () => {
    expect(afterIdOf(undefined)).toBeNull();
    expect(afterIdOf(null)).toBeNull();
    expect(afterIdOf(U1.toUpperCase())).toBe(U1);
    for (const bad of ['', 'abc', `${U1} `, "x' OR 1=1"]) expect(refusal(() => afterIdOf(bad))).toEqual({ code: 'BAD_USER_INPUT', message: 'after must be the id of the last item of the previous page' });
  });
});

describe('licenseDatesOf', () => {
  const now = new Date('2026-03-01T10:00:00Z');

  it('activeFrom defaults to now, expiresAt to never', () => {
    expect(licenseDatesOf(undefined, undefined, now)).toEqual({ activeFrom: now, expiresAt: null });
    expect(licenseDatesOf(null, null, now)).toEqual({ activeFrom: now, expiresAt: null });
  });

  it('accepts a future activation (a purchase takes 30 minutes to 8 hours) and a later expiry', () => {
    const from = new Date('2026-03-01T14:00:00Z');
    const until = new Date('2027-03-01T00:00:00Z');
    expect(licenseDatesOf(from, until, now)).toEqual({ activeFrom: from, expiresAt: until });
  });

  it('refuses an expiry at or before the activation', () => {
    expect(refusal(() => licenseDatesOf(now, now, now)).message).toBe('expiresAt (2026-03-01T10:00:00.000Z) must be later than activeFrom (2026-03-01T10:00:00.000Z)');
    expect(refusal(() => licenseDatesOf(undefined, new Date('2026-02-01T00:00:00Z'), now)).code).toBe('BAD_USER_INPUT');
  });
});

describe('member ids', () => {
  it('lower-cases and de-duplicates', () => {
    expect(idListOf([U1.toUpperCase(), U1, U2], 'userIds')).toEqual([U1, U2]);
    expect(idListOf(undefined, 'userIds')).toEqual([]);
    expect(idListOf(null, 'deviceIds')).toEqual([]);
  });

  it('names malformed ids as not being users / devices of the tenant', () => {
    expect(refusal(() => idListOf([U1, 'nope'], 'userIds'))).toEqual({ code: 'BAD_USER_INPUT', message: 'userIds: nope is not a user of this tenant' });
    expect(refusal(() => idListOf(['x', 'y'], 'deviceIds')).message).toBe('deviceIds: x, y are not a device of this tenant');
  });

  it(`takes at most ${MAX_IDS} ids per call`, () => {
    expect(
      refusal(() =>
        idListOf(
          Array.from({ length: MAX_IDS + 1 }, () => U1),
          'userIds',
        ),
      ).code,
    ).toBe('BAD_USER_INPUT');
  });

  it('finds the ids that are not there', () => {
    expect(missingIds([U1, U2], [U2.toUpperCase()])).toEqual([U1]);
    expect(missingIds([U1], [U1])).toEqual([]);
  });
});

describe('checkMemberKind', () => {
  it('USERS takes only users, DEVICES only devices, MIXED both', () => {
    expect(() => checkMemberKind('USERS', 'Helpers', [U1], [])).not.toThrow();
    expect(() => checkMemberKind('DEVICES', 'Kiosks', [], [U1])).not.toThrow();
    expect(() => checkMemberKind('MIXED', 'Floor 2', [U1], [U2])).not.toThrow();
    expect(refusal(() => checkMemberKind('USERS', 'Helpers', [], [U1]))).toEqual({ code: 'BAD_USER_INPUT', message: 'the group "Helpers" holds users only (memberKind USERS); it cannot have devices' });
    expect(refusal(() => checkMemberKind('DEVICES', 'Kiosks', [U1], []))).toEqual({ code: 'BAD_USER_INPUT', message: 'the group "Kiosks" holds devices only (memberKind DEVICES); it cannot have users' });
  });
});

describe('describeChanges', () => {
  it('lists only the fields whose value changes', () => {
    expect(describeChanges({ remoteHelpEnabled: false, chatDisabled: false, jobTitle: null }, { remoteHelpEnabled: true, chatDisabled: false, jobTitle: 'Engineer' })).toEqual([
      'remoteHelpEnabled: false -> true',
      'jobTitle: none -> "Engineer"',
    ]);
    expect(describeChanges({ a: new Date(0) }, { a: new Date(0) })).toEqual([]);
    expect(describeChanges({ a: undefined }, { a: null })).toEqual([]);
  });
});
