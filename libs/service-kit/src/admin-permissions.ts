import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { AdminPermission } from '@remote-help/domain';
import { forbidden } from './errors';
import { ServiceClient } from './service-client';
import { SharedResults } from './shared-results';
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
  private readonly shared: SharedResults<AdminPermission[]>;

  constructor(
    private readonly client: ServiceClient,
    @Inject(SERVICE_OPTIONS) options: ServiceOptions,
  ) {
    this.shared = new SharedResults(options.config.ADMIN_PERMISSION_CACHE_MS);
  }

  permissionsOf(tenantId: string, userId: string): Promise<AdminPermission[]> {
    return this.shared.get(`${tenantId}/${userId}`, undefined, () =>
      this.client.post<{ permissions: AdminPermission[] }>('rbac-service', '/internal/admin-permissions', { tenantId, userId }, tenantId).then((r) => r.permissions),
    );
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
