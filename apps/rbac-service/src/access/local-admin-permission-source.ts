import { Injectable } from '@nestjs/common';
import { AdminPermission } from '@remote-help/domain';
import type { AdminPermissionSource } from '@remote-help/service-kit';
import { DataSource } from 'typeorm';
import { AccessDataService } from './access-data.service';

/**
 * rbac-service's own AdminAuthorizer source: its tables, read directly (the other services ask
 * POST /internal/admin-permissions, which answers from the same query).
 */
@Injectable()
export class LocalAdminPermissionSource implements AdminPermissionSource {
  private readonly data: AccessDataService;

  constructor(dataSource: DataSource) {
    this.data = new AccessDataService(dataSource);
  }

  permissionsOf(tenantId: string, userId: string): Promise<AdminPermission[]> {
    return this.data.adminPermissions(tenantId, userId);
  }
}
