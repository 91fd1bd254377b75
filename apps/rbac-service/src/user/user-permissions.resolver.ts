import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { AdminPermission, isUuid, RemoteHelpPermission } from '@remote-help/domain';
import { CurrentCaller } from '@remote-help/service-kit';
import { AccessDataService } from '../access/access-data.service';
import { User } from './user.model';

@Resolver(() => User)
export class UserPermissionsResolver {
  constructor(private readonly data: AccessDataService) {}

  @ResolveField(() => [RemoteHelpPermission], {
    description: 'The Remote Help permissions the user holds over something in the tenant (implications applied; which targets depends on the scopes).',
  })
  effectiveRemoteHelpPermissions(@Parent() user: User, @CurrentCaller() caller: Caller) {
    if (!caller.tenantId || !isUuid(user.id)) return [];
    return this.data.remoteHelpPermissions(caller.tenantId, user.id);
  }

  @ResolveField(() => [AdminPermission], {
    description:
      'The tenant-wide admin permissions the user holds through role assignments (what an admin console may show them). Visible for oneself, and to callers who hold an admin permission themselves; [] otherwise.',
  })
  async effectiveAdminPermissions(@Parent() user: User, @CurrentCaller() caller: Caller): Promise<AdminPermission[]> {
    if (caller.kind !== 'user' || !isUuid(user.id)) return [];
    if (user.id === caller.userId) return this.data.adminPermissions(caller.tenantId, user.id);
    const own = await this.data.adminPermissions(caller.tenantId, caller.userId);
    return own.length ? this.data.adminPermissions(caller.tenantId, user.id) : [];
  }
}
