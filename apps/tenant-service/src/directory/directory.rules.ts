import { isUuid, isValidUpn, upnDomain } from '@remote-help/domain';
import { badInput } from '@remote-help/service-kit';

/**
 * The input rules of the directory, as pure functions (no database): each returns the clean
 * value or throws BAD_USER_INPUT with a message that names the field and says what is expected.
 */

/** Longest display name, given name, surname, job title, company name, OS version, manufacturer. */
export const MAX_TEXT = 256;
export const MAX_URL = 2048;
export const MAX_SEARCH = 256;
/** `users` / `devices`: `first` defaults to 50 and may be 1 to 500. */
export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;
/** Most ids in one addGroupMembers / removeGroupMembers call (per list). */
export const MAX_IDS = 500;

// C0/C1 control characters (PostgreSQL refuses NUL in text; the others have no place in a name).
// eslint-disable-next-line no-control-regex -- control characters are what this pattern finds.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A required single-line text: trimmed, 1 to `max` characters, no control characters. */
export function requiredText(value: unknown, field: string, max = MAX_TEXT): string {
  if (typeof value !== 'string' || value.trim().length === 0) throw badInput(`${field} must not be empty`);
  const v = value.trim();
  if (v.length > max) throw badInput(`${field} must have at most ${max} characters (it has ${v.length})`);
  if (CONTROL.test(v)) throw badInput(`${field} must not contain control characters`);
  return v;
}

/**
 * An optional single-line text: `undefined` (not given) stays undefined, so that an update keeps
 * the stored value; null, empty or blank becomes null (cleared); otherwise as {@link requiredText}.
 */
export function optionalText(value: unknown, field: string, max = MAX_TEXT): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || (typeof value === 'string' && value.trim().length === 0)) return null;
  return requiredText(value, field, max);
}

/** A profile picture URL: absolute http(s), at most {@link MAX_URL} characters (or null / undefined as {@link optionalText}). */
export function pictureUrlOf(value: unknown): string | null | undefined {
  const v = optionalText(value, 'profilePictureUrl', MAX_URL);
  if (v === null || v === undefined) return v;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw badInput('profilePictureUrl must be an absolute http or https URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput('profilePictureUrl must be an absolute http or https URL');
  return v;
}

/**
 * A user principal name of this tenant: `name@domain`, trimmed, whose domain is one of the
 * tenant's verified domains (compared case-insensitively).
 */
export function userPrincipalNameOf(value: unknown, verifiedDomains: readonly string[]): string {
  if (typeof value !== 'string' || value.trim().length === 0) throw badInput('userPrincipalName must not be empty');
  const upn = value.trim();
  if (CONTROL.test(upn) || !isValidUpn(upn)) throw badInput(`"${clip(upn)}" is not a user principal name (name@domain, at most 256 characters)`);
  const domain = upnDomain(upn)!;
  const verified = verifiedDomains.map((d) => d.toLowerCase());
  if (!verified.includes(domain)) {
    throw badInput(`the domain ${domain} of ${clip(upn)} is not a verified domain of this tenant (verified: ${verified.join(', ') || 'none'})`);
  }
  return upn;
}

/** The domain of the UPN when it is one of the tenant's verified domains, else null. */
export function verifiedDomainOf(upn: string, verifiedDomains: readonly string[]): string | null {
  const domain = upnDomain(upn);
  return domain && verifiedDomains.some((d) => d.toLowerCase() === domain) ? domain : null;
}

/** The search term of `users` / `devices`: trimmed, null when absent or blank. */
export function searchTermOf(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim().length === 0) return null;
  const v = value.trim();
  if (v.length > MAX_SEARCH) throw badInput(`search must have at most ${MAX_SEARCH} characters`);
  if (CONTROL.test(v)) throw badInput('search must not contain control characters');
  return v;
}

/** A case-insensitive "contains" pattern for ILIKE, with `\`, `%` and `_` matched literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `first`: {@link DEFAULT_PAGE} when absent, else 1 to {@link MAX_PAGE}. */
export function pageSizeOf(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput(`first must be between 1 and ${MAX_PAGE}`);
  return first;
}

/**
 * `after` of `users` / `devices` / `groups`: the id of the last one of the previous page (a
 * UUID, lower-cased), or null for the first page.
 */
export function afterIdOf(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (!isUuid(value)) throw badInput('after must be the id of the last item of the previous page');
  return value.toLowerCase();
}

/**
 * A licence's dates: `activeFrom` defaults to `now`; `expiresAt`, when given, must be later than
 * `activeFrom`.
 */
export function licenseDatesOf(activeFrom: Date | null | undefined, expiresAt: Date | null | undefined, now: Date): { activeFrom: Date; expiresAt: Date | null } {
  const from = activeFrom ?? now;
  if (!(from instanceof Date) || Number.isNaN(from.getTime())) throw badInput('activeFrom must be a date-time');
  if (expiresAt === null || expiresAt === undefined) return { activeFrom: from, expiresAt: null };
  if (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime())) throw badInput('expiresAt must be a date-time');
  if (expiresAt.getTime() <= from.getTime()) {
    throw badInput(`expiresAt (${expiresAt.toISOString()}) must be later than activeFrom (${from.toISOString()})`);
  }
  return { activeFrom: from, expiresAt };
}

/**
 * A list of ids given as references (group members): lower-cased and de-duplicated; more than
 * {@link MAX_IDS} or ids that are not UUIDs are BAD_USER_INPUT naming them (a malformed id can
 * be no user or device of the tenant).
 */
export function idListOf(ids: readonly string[] | null | undefined, field: string): string[] {
  if (!ids) return [];
  if (ids.length > MAX_IDS) throw badInput(`${field} may name at most ${MAX_IDS} ids per call`);
  const malformed = ids.filter((id) => !isUuid(id));
  if (malformed.length) throw badInput(`${field}: ${malformed.map((id) => clip(String(id), 60)).join(', ')} ${malformed.length === 1 ? 'is' : 'are'} not ${field === 'userIds' ? 'a user' : 'a device'} of this tenant`);
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

export type MemberKind = 'USERS' | 'DEVICES' | 'MIXED';

/** A USERS group takes only users, a DEVICES group only devices, a MIXED group both. */
export function checkMemberKind(kind: MemberKind, groupName: string, userIds: readonly string[], deviceIds: readonly string[]): void {
  if (kind === 'USERS' && deviceIds.length) throw badInput(`the group "${groupName}" holds users only (memberKind USERS); it cannot have devices`);
  if (kind === 'DEVICES' && userIds.length) throw badInput(`the group "${groupName}" holds devices only (memberKind DEVICES); it cannot have users`);
}

/** The ids of `wanted` that are not in `found` (unknown, or of another tenant), for the error message. */
export function missingIds(wanted: readonly string[], found: Iterable<string>): string[] {
  const have = new Set([...found].map((id) => id.toLowerCase()));
  return wanted.filter((id) => !have.has(id.toLowerCase()));
}

/** "a -> b" lines of what a change changed, for audit details; fields whose value stays are left out. */
export function describeChanges(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after)
    .filter((k) => !sameValue(before[k], after[k]))
    .map((k) => `${k}: ${show(before[k])} -> ${show(after[k])}`);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return (a ?? null) === (b ?? null);
}

function show(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (v instanceof Date) return v.toISOString();
  return typeof v === 'string' ? JSON.stringify(clip(v, 80)) : String(v);
}

function clip(s: string, max = 120): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
