import { Injectable } from '@nestjs/common';
import { upnDomain } from '@remote-help/domain';
import { DataSource } from 'typeorm';
import { UserEntity } from './user.entity';
import { UserProfile } from './user.model';

@Injectable()
export class UserService {
  constructor(private readonly dataSource: DataSource) {}

  /** A user of this tenant, or null (ids of other tenants look exactly like unknown ids). */
  findInTenant(tenantId: string, id: string): Promise<UserEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.dataSource.getRepository(UserEntity).findOneBy({ tenantId, id });
  }

  findByUpn(tenantId: string, upn: string): Promise<UserEntity | null> {
    return this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('u.tenant_id = :tenantId AND lower(u.user_principal_name) = lower(:upn)', { tenantId, upn })
      .getOne();
  }

  profileOf(user: UserEntity): UserProfile {
    return {
      givenName: user.givenName ?? undefined,
      surname: user.surname ?? undefined,
      displayName: user.displayName,
      jobTitle: user.jobTitle ?? undefined,
      companyName: user.companyName ?? undefined,
      verifiedDomain: upnDomain(user.userPrincipalName) ?? undefined,
      profilePictureUrl: user.profilePictureUrl ?? undefined,
    };
  }
}

export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
