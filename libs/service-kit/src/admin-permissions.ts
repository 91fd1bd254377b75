import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { AdminPermission } from '@remote-help/domain';
import { forbidden } from './errors';
import { ServiceClient } from './service-client';
import { ADMIN_PERMISSION_SOURCE } from './tokens';

/** Where a user's tenant-wide admin permissions come from. */
export interface AdminPermissionSource {
  permissionsOf(tenantId: string, userId: string): Promise<AdminPermission[]>;
}

/** The default source: rbac-service's internal endpoint, asked on every check (no cache). */
@Injectable()
export class RemoteAdminPermissionSource implements AdminPermissionSource {
  constructor(private readonly client: ServiceClient) {}

  async permissionsOf(tenantId: string, userId: string): Promise<AdminPermission[]> {
    const res = await this.client.post<{ permissions: AdminPermission[] }>('rbac-service', '/internal/admin-permissions', { tenantId, userId }, tenantId);
    return res.permissions;
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
