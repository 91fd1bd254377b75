import { isUuid } from '@remote-help/domain';
import { badInput } from '@remote-help/service-kit';

/** An id argument: a UUID (lower-cased), or BAD_USER_INPUT naming the argument. */
export function idArg(name: string, v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (!isUuid(v)) throw badInput(`${name} is not a valid id`);
  return v.toLowerCase();
}
