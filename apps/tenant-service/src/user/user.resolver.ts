import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { hasActiveRemoteHelpLicense } from '@remote-help/domain';
import { CurrentCaller, tenantOf } from '@remote-help/service-kit';
import { assertMayReadDirectory, mayReadDirectory } from '../directory/directory-access';
import { DirectoryLoaders } from '../directory/directory-loaders';
import { licenseFacts } from '../directory/directory-events';
import { DirectoryListArgs, listArgsOf } from '../directory/list-args';
import { Group } from '../group/group.model';
import { UserAdminService } from './user-admin.service';
import { UserEntity } from './user.entity';
import { AssignLicenseInput, UpsertUserInput } from './user.input';
import { License, User, UserProfile } from './user.model';
import { UserService } from './user.service';

@Resolver(() => User)
export class UserResolver {
  constructor(
    private readonly userService: UserService,
    private readonly admin: UserAdminService,
    private readonly loaders: DirectoryLoaders,
  ) {}

  @Query(() => User, { nullable: true, description: 'The signed-in user; null for a dedicated-device caller.' })
  me(@CurrentCaller() caller: Caller) {
    return caller.kind === 'user' ? this.userService.findInTenant(caller.tenantId, caller.userId) : null;
  }

  @Query(() => User, { nullable: true, description: 'A user of the tenant; null for an unknown id.' })
  user(@Args('id', { type: () => ID }) id: string, @CurrentCaller() caller: Caller) {
    assertMayReadDirectory(caller, 'users');
    return this.userService.findInTenant(tenantOf(caller), id);
  }

  @Query(() => [User], {
    description: 'Users whose user principal name or display name contains `search` (case-insensitive), by display name; `first` 1 to 500, default 50; `after`: the id of the last one of the previous page.',
  })
  users(@CurrentCaller() caller: Caller, @Args() args: DirectoryListArgs) {
    const a = listArgsOf(args);
    return mayReadDirectory(caller) ? this.userService.list(tenantOf(caller), a.search, a.first, a.after) : [];
  }

  @Mutation(() => User, { description: 'MANAGE_DIRECTORY.' })
  upsertUser(@Args('input') input: UpsertUserInput, @CurrentCaller() caller: Caller) {
    return this.admin.upsertUser(caller, input);
  }

  @Mutation(() => User, { description: 'MANAGE_DIRECTORY.' })
  assignLicense(@Args('input') input: AssignLicenseInput, @CurrentCaller() caller: Caller) {
    return this.admin.assignLicense(caller, input);
  }

  @ResolveField(() => UserProfile)
  async profile(@Parent() user: UserEntity, @Context() ctx: object) {
    const tenant = await this.loaders.tenant(ctx, user.tenantId);
    return this.userService.profileOf(user, tenant?.verifiedDomains ?? []);
  }

  @ResolveField(() => [License])
  licenses(@Parent() user: UserEntity, @Context() ctx: object) {
    return this.loaders.licenses(ctx, user.tenantId).load(user.id);
  }

  @ResolveField(() => Boolean, { description: 'An active Remote Help add-on or Intune Suite licence now (activated, not expired).' })
  async hasActiveRemoteHelpLicense(@Parent() user: UserEntity, @Context() ctx: object) {
    const licenses = await this.loaders.licenses(ctx, user.tenantId).load(user.id);
    return hasActiveRemoteHelpLicense(licenses.map(licenseFacts), new Date());
  }

  @ResolveField(() => [Group])
  groups(@Parent() user: UserEntity, @Context() ctx: object, @CurrentCaller() caller: Caller) {
    return mayReadDirectory(caller) ? this.loaders.groupsOfUser(ctx, user.tenantId).load(user.id) : [];
  }

  @ResolveReference()
  resolveReference(@Parent() ref: { id: string }, @CurrentCaller() caller: Caller) {
    return this.userService.findInTenant(tenantOf(caller), ref.id);
  }
}
