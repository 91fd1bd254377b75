import { Directive, Field, ObjectType } from '@nestjs/graphql';
import { badInput } from '@remote-help/service-kit';

/** Relay-style page information of the report connections. */
@ObjectType('PageInfo')
@Directive('@shareable')
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' }) endCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** `first` of a report query: 50 when omitted, 0 to 500 (0 returns no rows, e.g. for `totalCount` alone). */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`);
  return first;
}

/**
 * Cursors are opaque to clients: base64url of `[list, time in ms, id]`, the position of a row
 * in the list's order (time, then id, newest first). A cursor of another list, or anything that
 * is not a cursor, is refused with BAD_USER_INPUT.
 */
export type CursorList = 'sessions' | 'audit';
const TAG: Record<CursorList, string> = { sessions: 's', audit: 'a' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface CursorPosition {
  at: Date;
  id: string;
}

export function encodeCursor(list: CursorList, at: Date, id: string): string {
  return Buffer.from(JSON.stringify([TAG[list], at.getTime(), id]), 'utf8').toString('base64url');
}

export function decodeCursor(list: CursorList, cursor: string | null | undefined): CursorPosition | null {
  if (cursor === null || cursor === undefined) return null;
  const refuse = () => badInput('after is not a cursor of this list (pass an endCursor or edge cursor it returned)');
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw refuse();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (!Array.isArray(value) || value.length !== 3) throw refuse();
  const [tag, ms, id] = value as unknown[];
  if (tag !== TAG[list] || typeof ms !== 'number' || !Number.isSafeInteger(ms) || typeof id !== 'string' || !UUID.test(id)) throw refuse();
  const at = new Date(ms);
  if (Number.isNaN(at.getTime())) throw refuse();
  return { at, id };
}

/** Cuts a fetched page (`size + 1` rows asked) to `size` and says whether more follow. */
export function cutPage<T>(rows: T[], size: number, cursorOf: (row: T) => string): { items: { cursor: string; node: T }[]; pageInfo: PageInfo } {
  const items = rows.slice(0, size).map((node) => ({ cursor: cursorOf(node), node }));
  return { items, pageInfo: { hasNextPage: rows.length > size, endCursor: items.length ? items[items.length - 1].cursor : null } };
}
