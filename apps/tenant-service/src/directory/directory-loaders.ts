import { Injectable } from '@nestjs/common';
import { DeviceEntity } from '../device/device.entity';
import { GroupEntity } from '../group/group.entity';
import { GroupService } from '../group/group.service';
import { TenantEntity } from '../tenant/tenant.entity';
import { TenantService } from '../tenant/tenant.service';
import { LicenseEntity } from '../user/license.entity';
import { UserEntity } from '../user/user.entity';
import { UserService } from '../user/user.service';
import { BatchLoader, loaderOn } from './batch-loader';

/**
 * The per-request loaders of the fields that hang off lists (User.licenses, User.groups,
 * Device.groups, Device.primaryUser, Group.users, Group.devices, the tenant of a profile): one
 * query per batch of parents instead of one per parent. `ctx` is the GraphQL context of the request.
 */
@Injectable()
export class DirectoryLoaders {
  constructor(
    private readonly users: UserService,
    private readonly groups: GroupService,
    private readonly tenants: TenantService,
  ) {}

  licenses(ctx: object, tenantId: string): BatchLoader<string, LicenseEntity[]> {
    return loaderOn(
      ctx,
      `licenses:${tenantId}`,
      () =>
        new BatchLoader(
          (ids) => this.users.licensesByUser(tenantId, ids),
          () => [],
        ),
    );
  }

  user(ctx: object, tenantId: string): BatchLoader<string, UserEntity | null> {
    return loaderOn(
      ctx,
      `user:${tenantId}`,
      () =>
        new BatchLoader(
          (ids) => this.users.findManyInTenant(tenantId, ids),
          () => null,
        ),
    );
  }

  groupsOfUser(ctx: object, tenantId: string): BatchLoader<string, GroupEntity[]> {
    return loaderOn(
      ctx,
      `groupsOfUser:${tenantId}`,
      () =>
        new BatchLoader(
          (ids) => this.groups.groupsOfUsers(tenantId, ids),
          () => [],
        ),
    );
  }

  groupsOfDevice(ctx: object, tenantId: string): BatchLoader<string, GroupEntity[]> {
    return loaderOn(
      ctx,
      `groupsOfDevice:${tenantId}`,
      () =>
        new BatchLoader(
          (ids) => this.groups.groupsOfDevices(tenantId, ids),
          () => [],
        ),
    );
  }

  usersOfGroup(ctx: object, tenantId: string): BatchLoader<string, UserEntity[]> {
    return loaderOn(
      ctx,
      `usersOfGroup:${tenantId}`,
      () =>
        new BatchLoader(
          (ids) => this.groups.usersOfGroups(tenantId, ids),
          () => [],
        ),
    );
  }

  devicesOfGroup(ctx: object, tenantId: string): BatchLoader<string, DeviceEntity[]> {
    return loaderOn(
      ctx,
      `devicesOfGroup:${tenantId}`,
      () =>
        new BatchLoader(
          (ids) => this.groups.devicesOfGroups(tenantId, ids),
          () => [],
        ),
    );
  }

  /** The tenant (verified domains, cloud), read once per batch. */
  tenant(ctx: object, tenantId: string): Promise<TenantEntity | null> {
    return loaderOn(
      ctx,
      'tenant',
      () =>
        new BatchLoader<string, TenantEntity | null>(
          async (ids) => new Map(await Promise.all(ids.map(async (id) => [id, await this.tenants.getTenant(id).catch(() => null)] as const))),
          () => null,
        ),
    ).load(tenantId);
  }
}
