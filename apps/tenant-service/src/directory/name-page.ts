import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { containsPattern } from './directory.rules';

/** One page of a directory list ordered by display name (case-insensitive), then id. */
export interface NamePage {
  tenantId: string;
  /** Columns (of `alias`) that `search` is looked for in, case-insensitively. */
  searchColumns: string[];
  search: string | null;
  /** The id of the last row of the previous page; an id that is not in the list yields an empty page. */
  after: string | null;
  first: number;
}

/**
 * Adds the tenant, the search, the keyset position after `after` and the order to a query over
 * `table` (aliased `alias`): `(lower(display_name), id) > ` those of the row `after`, so pages
 * never repeat or skip rows whatever is added meanwhile.
 */
export function namePage<T extends ObjectLiteral>(q: SelectQueryBuilder<T>, alias: string, table: string, p: NamePage): SelectQueryBuilder<T> {
  q.where(`${alias}.tenant_id = :tenantId`, { tenantId: p.tenantId });
  if (p.search) q.andWhere(`(${p.searchColumns.map((c) => `${alias}.${c} ILIKE :pattern ESCAPE '\\'`).join(' OR ')})`, { pattern: containsPattern(p.search) });
  if (p.after) {
    q.andWhere(`(lower(${alias}.display_name), ${alias}.id) > (SELECT lower(a.display_name), a.id FROM ${table} a WHERE a.tenant_id = :tenantId AND a.id = :after)`, { after: p.after });
  }
  return q.orderBy(`lower(${alias}.display_name)`, 'ASC').addOrderBy(`${alias}.id`, 'ASC').limit(p.first);
}
