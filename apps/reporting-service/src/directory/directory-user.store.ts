import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { UserNameData } from '../ingest/event-data';

/**
 * The names of users, from tenant-service's user snapshots, for `recipientDisplay`. A snapshot
 * applies only when newer than the stored one and only to a row of the same tenant.
 */
@Injectable()
export class DirectoryUserStore {
  async upsert(m: EntityManager, u: UserNameData): Promise<void> {
    await m.query(
      `INSERT INTO directory_users (id, tenant_id, user_principal_name, display_name, version) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET user_principal_name = EXCLUDED.user_principal_name, display_name = EXCLUDED.display_name, version = EXCLUDED.version
       WHERE directory_users.version < EXCLUDED.version AND directory_users.tenant_id = EXCLUDED.tenant_id`,
      [u.id, u.tenantId, u.userPrincipalName, u.displayName, u.version],
    );
  }
}
