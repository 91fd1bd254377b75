import { badInput } from '@remote-help/service-kit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID.test(v);
}

/** An id argument: a UUID (lower-cased), or BAD_USER_INPUT naming the argument. */
export function idArg(name: string, v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (!isUuid(v)) throw badInput(`${name} is not a valid id`);
  return v.toLowerCase();
}
