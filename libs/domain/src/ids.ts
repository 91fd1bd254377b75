const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID (any version, either case): the form of every id in this system. */
export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID.test(v);
}
