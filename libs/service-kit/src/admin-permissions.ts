import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { AdminPermission } from '@remote-help/domain';
import { forbidden } from './errors';
import { ServiceClient } from './service-client';
import type { ServiceOptions } from './service-options';
import { ADMIN_PERMISSION_SOURCE, SERVICE_OPTIONS } from './tokens';

/** Where a user's tenant-wide admin permissions come from. */
export interface AdminPermissionSource {
  permissionsOf(tenantId: string, userId: string): Promise<AdminPermission[]>;
}

/**
 * The default source: rbac-service's internal endpoint. An answer is remembered for
 * ADMIN_PERMISSION_CACHE_MS (default 1 s; 0 asks on every check), and concurrent checks of the
 * same user share one call, so that a busy dashboard does not ask rbac-service on every request.
 * The price: a revoked admin permission may still be honoured for up to that long.
 */
@Injectable()
export class RemoteAdminPermissionSource implements AdminPermissionSource {
  private readonly cache = new Map<string, { at: number; permissions: Promise<AdminPermission[]> }>();
  private readonly ttlMs: number;

  constructor(
    private readonly client: ServiceClient,
    @Inject(SERVICE_OPTIONS) options: ServiceOptions,
  ) {
    this.ttlMs = options.config.ADMIN_PERMISSION_CACHE_MS;
  }

  permissionsOf(tenantId: string, userId: string): Promise<AdminPermission[]> {
    const key = `${tenantId}/${userId}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.permissions;
    const permissions = this.client.post<{ permissions: AdminPermission[] }>('rbac-service', '/internal/admin-permissions', { tenantId, userId }, tenantId).then((r) => r.permissions);
    if (this.ttlMs > 0) {
      if (this.cache.size >= 10_000) this.cache.clear();
      this.cache.set(key, { at: now, permissions });
      // A failed call is not remembered: the next check asks again.
      permissions.catch(() => this.cache.get(key)?.permissions === permissions && this.cache.delete(key));
    }
    return permissions;
  }
}

/**
 * Checks that the caller may administer this part of the tenant. Fails closed: when the
 * permissions cannot be read, the caller is refused.
 */
@Injectable()
export class AdminAuthorizer {
  private readonly log = new Logger('AdminAuthorizer');

  constructor(@Inject(ADMIN_PERMISSION_SOURCE) private readonly source: AdminPermissionSource) {}

  async require(caller: Caller, permission: AdminPermission): Promise<void> {
    if (caller.kind !== 'user') throw forbidden(`${permission} is needed, and only a signed-in user can hold it`);
    let held: AdminPermission[];
    try {
      held = await this.source.permissionsOf(caller.tenantId, caller.userId);
    } catch (e) {
      this.log.error(`cannot read admin permissions: ${(e as Error).message}`);
      throw forbidden(`cannot verify that you hold ${permission} right now; nothing was changed`);
    }
    if (!held.includes(permission)) throw forbidden(`you need the ${permission} permission for this`);
  }

  async has(caller: Caller, permission: AdminPermission): Promise<boolean> {
    if (caller.kind !== 'user') return false;
    try {
      return (await this.source.permissionsOf(caller.tenantId, caller.userId)).includes(permission);
    } catch {
      return false;
    }
  }
}
