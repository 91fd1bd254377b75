import type { AssignmentRow, DeviceRow, TenantRow, UserRow } from './decision-facts';

/** A tenant's assignment with its role's admin permissions (what admin permissions are computed from). */
export type TenantAssignmentRow = AssignmentRow & { admin_permissions: string[] };

/** What a load started at: an entry read under it is kept only if nothing of its tenant changed since. */
export interface CacheTicket {
  readonly seq: number;
  readonly epoch: number;
}

interface Entry<T> {
  value: T;
  tenantId: string;
  seq: number;
}

/** A tenant's role assignments (oldest first), with an index by admin group. */
export interface TenantAssignments {
  assignments: TenantAssignmentRow[];
  /** Assignment positions (in `assignments`) by admin group id. */
  byAdminGroup: Map<string, number[]>;
}

/** A tenant's settings row and all of its role assignments. */
export interface TenantEntry extends TenantAssignments {
  tenant: TenantRow;
}

/**
 * rbac-service's in-memory copy of the decision facts it reads most: users and devices (with their
 * groups, at most `maxEntries` of each, least recently used dropped first) and each tenant's
 * settings and role assignments. It only ever answers what the database said, and forgets a
 * tenant's entries as soon as anything of that tenant changes: `changed(tenantId)` is called for
 * every committed change of the tables the facts come from (a trigger's NOTIFY, heard by
 * AccessFactsListener, and this process's own writes right after they commit).
 *
 * Loads race with changes: a load takes a ticket before it reads, and what it read is kept only if
 * its tenant has not changed since the ticket (else it is used for that one request and read
 * again next time). While the change feed is down (`live` false) nothing is answered or kept.
 * Pure: no database here.
 */
export class FactsCache {
  private seq = 0;
  private epoch = 0;
  private isLive = false;
  private readonly changedAt = new Map<string, number>();
  private readonly users = new Map<string, Entry<UserRow>>();
  private readonly devices = new Map<string, Entry<DeviceRow>>();
  private readonly tenants = new Map<string, Entry<TenantEntry>>();
  /** One copy of each group and tenant id string, however many entries name it. */
  private readonly ids = new Map<string, string>();

  constructor(readonly maxEntries: number) {}

  /** Whether the cache may answer (the change feed is up, and the cache is not turned off). */
  get live(): boolean {
    return this.isLive && this.maxEntries > 0;
  }

  /** The change feed is up (answers from now on) or down (forget everything, answer nothing). */
  setLive(live: boolean): void {
    this.clear();
    this.isLive = live;
  }

  /** Forgets everything (loads in flight keep nothing). */
  clear(): void {
    this.epoch += 1;
    this.users.clear();
    this.devices.clear();
    this.tenants.clear();
    this.changedAt.clear();
    this.ids.clear();
  }

  /** Something of the tenant changed (committed): its entries, and loads in flight for it, are stale. */
  changed(tenantId: string): void {
    this.seq += 1;
    this.changedAt.set(tenantId.toLowerCase(), this.seq);
  }

  /**
   * A write of this process: once it is over (committed or not), its tenant is marked changed at
   * once, so that the writer's next request never sees what was there before (the trigger's
   * notice, which says the same, may arrive a moment later).
   */
  async changedBy<T>(tenantId: string, write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      this.changed(tenantId);
    }
  }

  /** Taken before a load reads the database. */
  ticket(): CacheTicket {
    return { seq: this.seq, epoch: this.epoch };
  }

  user(id: string): UserRow | undefined {
    return this.valid(this.users, id);
  }

  device(id: string): DeviceRow | undefined {
    return this.valid(this.devices, id);
  }

  tenant(id: string): TenantEntry | undefined {
    return this.valid(this.tenants, id);
  }

  putUser(row: UserRow, t: CacheTicket): void {
    this.put(this.users, row.id, row.tenant_id, { ...row, tenant_id: this.intern(row.tenant_id), group_ids: row.group_ids.map((g) => this.intern(g)) }, t);
  }

  putDevice(row: DeviceRow, t: CacheTicket): void {
    this.put(this.devices, row.id, row.tenant_id, { ...row, tenant_id: this.intern(row.tenant_id), group_ids: row.group_ids.map((g) => this.intern(g)) }, t);
  }

  putTenant(tenant: TenantRow, assignments: readonly TenantAssignmentRow[], t: CacheTicket): void {
    const rows = assignments.map((a) => ({ ...a, admin_group_ids: a.admin_group_ids.map((g) => this.intern(g)), scope_group_ids: a.scope_group_ids.map((g) => this.intern(g)) }));
    this.put(this.tenants, tenant.id, tenant.id, { tenant, ...indexedAssignments(rows) }, t, false);
  }

  /** Entries held (users + devices + tenants), for tests and figures. */
  get size(): number {
    return this.users.size + this.devices.size + this.tenants.size;
  }

  private valid<T>(map: Map<string, Entry<T>>, id: string): T | undefined {
    if (!this.live) return undefined;
    const key = id.toLowerCase();
    const e = map.get(key);
    if (!e) return undefined;
    if ((this.changedAt.get(e.tenantId) ?? 0) > e.seq) {
      map.delete(key);
      return undefined;
    }
    // Most recently used last: delete and set again.
    map.delete(key);
    map.set(key, e);
    return e.value;
  }

  private put<T>(map: Map<string, Entry<T>>, id: string, tenantId: string, value: T, t: CacheTicket, bounded = true): void {
    if (!this.live || t.epoch !== this.epoch) return;
    const tenant = tenantId.toLowerCase();
    if ((this.changedAt.get(tenant) ?? 0) > t.seq) return; // changed while it was read
    const key = id.toLowerCase();
    map.delete(key);
    map.set(key, { value, tenantId: tenant, seq: t.seq });
    if (bounded && map.size > this.maxEntries) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
  }

  private intern(s: string): string {
    const known = this.ids.get(s);
    if (known !== undefined) return known;
    if (this.ids.size >= 4 * this.maxEntries) this.ids.clear(); // bound it (entries keep their own copies)
    this.ids.set(s, s);
    return s;
  }
}

/** A tenant's assignments (oldest first) with their index by admin group. */
export function indexedAssignments(assignments: TenantAssignmentRow[]): TenantAssignments {
  const byAdminGroup = new Map<string, number[]>();
  assignments.forEach((a, i) => {
    for (const g of new Set(a.admin_group_ids)) {
      const list = byAdminGroup.get(g);
      if (list) list.push(i);
      else byAdminGroup.set(g, [i]);
    }
  });
  return { assignments, byAdminGroup };
}

/**
 * The tenant's assignments whose admin groups overlap `groupIds` (oldest first), as the database
 * query `admin_group_ids && group_ids` over `role_assignments` ordered by (created_at, id) gives them.
 */
export function assignmentsHeldBy(entry: TenantAssignments, groupIds: readonly string[]): TenantAssignmentRow[] {
  if (groupIds.length === 0 || entry.assignments.length === 0) return [];
  const positions = new Set<number>();
  for (const g of groupIds) for (const i of entry.byAdminGroup.get(g) ?? []) positions.add(i);
  return [...positions].sort((a, b) => a - b).map((i) => entry.assignments[i]);
}
