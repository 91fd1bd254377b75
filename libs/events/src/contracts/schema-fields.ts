import { z } from 'zod';

/**
 * The building blocks of the event schemas (zod 4): one definition of what an id, a time, a
 * version and a vocabulary value are on the wire, so that every event says it the same way.
 */

type EnumValues<E extends Record<string, string>> = `${E[keyof E]}`;

/**
 * A value of one of libs/domain's string enums, built from the enum itself (no retyped string
 * literals). The inferred type is the union of the enum's values, so both an enum member and its
 * literal value are accepted where the type is used.
 */
export function domainEnum<E extends Record<string, string>>(values: E) {
  return z.enum(Object.values(values) as [EnumValues<E>, ...EnumValues<E>[]]);
}

/** An id of this system: a UUID of any version, either case on the wire, kept in lower case (the form every id is stored in). */
export const id = () => z.guid({ error: 'must be a UUID' }).toLowerCase();

/**
 * An ISO 8601 time with its time zone (`Z` or an offset) between the years 1970 and 9999 (what
 * PostgreSQL and JavaScript both hold), kept as `Date#toISOString()` writes it (UTC, milliseconds).
 */
export const time = () =>
  z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 time with a time zone' })
    // (the checks after the format's run on text it refused too: they leave such text alone)
    .refine((v) => {
      const year = new Date(v).getUTCFullYear();
      return Number.isNaN(year) || (year >= 1970 && year <= 9999);
    }, 'must be a time between the years 1970 and 9999')
    .overwrite((v) => {
      const d = new Date(v);
      return Number.isNaN(d.getTime()) ? v : d.toISOString();
    });

/** A snapshot's version: it grows by one with every change of its aggregate (a PostgreSQL integer). */
export const snapshotVersion = () => z.int().min(1).max(2_147_483_647);

/**
 * A text that must say something (not empty, not only blanks), of at most `max` characters when
 * given. A pattern rather than a check in code, so that the published JSON Schemas say it too.
 */
export const text = (max?: number) => {
  const t = z.string({ error: 'must be a non-empty text' }).regex(/\S/, { error: 'must be a non-empty text' });
  return max === undefined ? t : t.max(max);
};
