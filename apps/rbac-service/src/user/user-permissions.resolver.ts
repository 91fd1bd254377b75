import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { isUuid, RemoteHelpPermission } from '@remote-help/domain';
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
}
