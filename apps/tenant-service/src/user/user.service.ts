import { isUuid } from '@remote-help/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { verifiedDomainOf } from '../directory/directory.rules';
import { namePage } from '../directory/name-page';
import { LicenseEntity } from './license.entity';
import { UserEntity } from './user.entity';
import { UserProfile } from './user.model';

/** Reads of the users of a tenant (every query filters by the tenant). */
@Injectable()
export class UserService {
  constructor(private readonly dataSource: DataSource) {}

  /** A user of this tenant, or null (ids of other tenants look exactly like unknown ids). */
  findInTenant(tenantId: string, id: string): Promise<UserEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.dataSource.getRepository(UserEntity).findOneBy({ tenantId, id });
  }

  /** Users of this tenant by id (the others are left out). */
  async findManyInTenant(tenantId: string, ids: string[]): Promise<Map<string, UserEntity>> {
    const valid = ids.filter(isUuid);
    if (!valid.length) return new Map();
    const rows = await this.dataSource.getRepository(UserEntity).createQueryBuilder('u').where('u.tenant_id = :tenantId AND u.id = ANY(:ids)', { tenantId, ids: valid }).getMany();
    return new Map(rows.map((u) => [u.id, u]));
  }

  findByUpn(tenantId: string, upn: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).createQueryBuilder('u').where('u.tenant_id = :tenantId AND lower(u.user_principal_name) = lower(:upn)', { tenantId, upn }).getOne();
  }

  /** The tenant's users whose UPN or display name contains `search` (case-insensitive), by display name, after the user `after`. */
  list(tenantId: string, search: string | null, first: number, after: string | null = null): Promise<UserEntity[]> {
    const q = this.dataSource.getRepository(UserEntity).createQueryBuilder('u');
    return namePage(q, 'u', 'users', { tenantId, searchColumns: ['user_principal_name', 'display_name'], search, after, first }).getMany();
  }

  /** The licences of these users (of this tenant), by user id, sorted by kind. */
  async licensesByUser(tenantId: string, userIds: string[]): Promise<Map<string, LicenseEntity[]>> {
    const byUser = new Map<string, LicenseEntity[]>();
    const valid = userIds.filter(isUuid);
    if (!valid.length) return byUser;
    const rows = await this.dataSource.getRepository(LicenseEntity).createQueryBuilder('l').where('l.tenant_id = :tenantId AND l.user_id = ANY(:ids)', { tenantId, ids: valid }).orderBy('l.kind', 'ASC').getMany();
    for (const l of rows) {
      const licences = byUser.get(l.userId);
      if (licences) licences.push(l);
      else byUser.set(l.userId, [l]);
    }
    return byUser;
  }

  profileOf(user: UserEntity, verifiedDomains: readonly string[]): UserProfile {
    return {
      givenName: user.givenName ?? undefined,
      surname: user.surname ?? undefined,
      displayName: user.displayName,
      jobTitle: user.jobTitle ?? undefined,
      companyName: user.companyName ?? undefined,
      verifiedDomain: verifiedDomainOf(user.userPrincipalName, verifiedDomains) ?? undefined,
      profilePictureUrl: user.profilePictureUrl ?? undefined,
    };
  }
}
