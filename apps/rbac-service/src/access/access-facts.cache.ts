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
  /** `appends` when the entry last went to the end of its map. */
  used: number;
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
 * settings and role assignments. It only ever answers what the database said, and forgets an
 * entry as soon as what it was read from changes: every committed change of the tables the facts
 * come from sends a notice (the triggers' NOTIFY, heard by AccessFactsListener: a user, a device,
 * or a whole tenant), and this process's own writes mark their tenant right after they end.
 *
 * Loads race with changes: a load takes a ticket before it reads, and what it read is kept only if
 * neither it nor its tenant changed since the ticket (else it is used for that one request and
 * read again next time). While the change feed is down (`live` false) nothing is answered or kept.
 * Pure: no database here.
 */
export class FactsCache {
  private seq = 0;
  private epoch = 0;
  /** Loads that started before this are never kept (set when `entityChangedAt` is pruned). */
  private floor = 0;
  private isLive = false;
  /** Entries put at the end of a map so far (puts and moves): how far back an entry has slid. */
  private appends = 0;
  private readonly changedAt = new Map<string, number>();
  /** When a user ('u:<id>') or device ('d:<id>') last changed: what loads in flight are checked against. */
  private readonly entityChangedAt = new Map<string, number>();
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
    this.entityChangedAt.clear();
    this.ids.clear();
  }

  /**
   * A change notice of the triggers: 'u:<user id>' (the user's row or memberships), 'd:<device id>'
   * (the device's), 't:<tenant id>' (anything of the tenant). Anything else forgets everything.
   */
  notice(payload: string): void {
    const kind = payload.slice(0, 2);
    const id = payload.slice(2);
    if (kind === 't:' && id) this.tenantChanged(id);
    else if ((kind === 'u:' || kind === 'd:') && id) this.entityChanged(kind, id);
    else this.clear();
  }

  /** Something of the tenant changed (committed): its entries, and loads in flight for it, are stale. */
  tenantChanged(tenantId: string): void {
    this.seq += 1;
    this.changedAt.set(tenantId.toLowerCase(), this.seq);
  }

  private entityChanged(kind: 'u:' | 'd:', id: string): void {
    const key = id.toLowerCase();
    (kind === 'u:' ? this.users : this.devices).delete(key);
    this.seq += 1;
    if (this.entityChangedAt.size >= Math.max(1000, this.maxEntries)) {
      // Bounded: forget which entities changed, and keep no load that started before.
      this.entityChangedAt.clear();
      this.floor = this.seq;
    }
    this.entityChangedAt.set(kind + key, this.seq);
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
      this.tenantChanged(tenantId);
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
    if (!this.fresh('u:', row.id, t)) return;
    this.put(this.users, row.id, row.tenant_id, { ...row, tenant_id: this.intern(row.tenant_id), group_ids: row.group_ids.map((g) => this.intern(g)) }, t);
  }

  putDevice(row: DeviceRow, t: CacheTicket): void {
    if (!this.fresh('d:', row.id, t)) return;
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

  /** Whether a load of this user or device under ticket `t` was not overtaken by a change of it. */
  private fresh(kind: 'u:' | 'd:', id: string, t: CacheTicket): boolean {
    return t.seq >= this.floor && (this.entityChangedAt.get(kind + id.toLowerCase()) ?? 0) <= t.seq;
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
    // Most recently used last. Moving an entry (delete and set again) costs more than the rest of
    // the lookup, so one that went to the end within the last quarter of the map's bound is left
    // where it is: it is evicted only after `maxEntries` more appends, so an entry used at least
    // once every half of them is never evicted (and a small map is kept in exact LRU order).
    if (this.appends - e.used > this.maxEntries / 4) {
      map.delete(key);
      e.used = ++this.appends;
      map.set(key, e);
    }
    return e.value;
  }

  private put<T>(map: Map<string, Entry<T>>, id: string, tenantId: string, value: T, t: CacheTicket, bounded = true): void {
    if (!this.live || t.epoch !== this.epoch || t.seq < this.floor) return;
    const tenant = tenantId.toLowerCase();
    if ((this.changedAt.get(tenant) ?? 0) > t.seq) return; // changed while it was read
    const key = id.toLowerCase();
    map.delete(key);
    map.set(key, { value, tenantId: tenant, seq: t.seq, used: ++this.appends });
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
