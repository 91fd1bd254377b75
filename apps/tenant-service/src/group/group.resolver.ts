import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { CurrentCaller, tenantOf } from '@remote-help/service-kit';
import { Device } from '../device/device.model';
import { assertMayReadDirectory, mayReadDirectory } from '../directory/directory-access';
import { DirectoryLoaders } from '../directory/directory-loaders';
import { User } from '../user/user.model';
import { DirectoryListArgs, listArgsOf } from '../directory/list-args';
import { GroupEntity } from './group.entity';
import { CreateGroupInput } from './group.input';
import { Group } from './group.model';
import { GroupService } from './group.service';

@Resolver(() => Group)
export class GroupResolver {
  constructor(
    private readonly groupService: GroupService,
    private readonly loaders: DirectoryLoaders,
  ) {}

  @Query(() => [Group], {
    description: "The tenant's groups whose display name contains `search` (case-insensitive), by display name; `first` 1 to 500, default 50; `after`: the id of the last one of the previous page.",
  })
  groups(@CurrentCaller() caller: Caller, @Args() args: DirectoryListArgs) {
    const a = listArgsOf(args);
    return mayReadDirectory(caller) ? this.groupService.list(tenantOf(caller), a.search, a.first, a.after) : [];
  }

  @Query(() => Group, { nullable: true, description: 'A group of the tenant; null for an unknown id.' })
  group(@Args('id', { type: () => ID }) id: string, @CurrentCaller() caller: Caller) {
    assertMayReadDirectory(caller, 'groups');
    return this.groupService.findInTenant(tenantOf(caller), id);
  }

  @Mutation(() => Group, { description: 'MANAGE_DIRECTORY.' })
  createGroup(@Args('input') input: CreateGroupInput, @CurrentCaller() caller: Caller) {
    return this.groupService.createGroup(caller, input);
  }

  @Mutation(() => Group, { description: "MANAGE_DIRECTORY. Users and devices of this tenant, as the group's memberKind allows; members already in the group are left as they are." })
  addGroupMembers(
    @Args('groupId', { type: () => ID }) groupId: string,
    @CurrentCaller() caller: Caller,
    @Args('userIds', { type: () => [ID], nullable: true }) userIds?: string[] | null,
    @Args('deviceIds', { type: () => [ID], nullable: true }) deviceIds?: string[] | null,
  ) {
    return this.groupService.addMembers(caller, groupId, userIds, deviceIds);
  }

  @Mutation(() => Group, { description: 'MANAGE_DIRECTORY. Removing a user or device that is not a member changes nothing.' })
  removeGroupMembers(
    @Args('groupId', { type: () => ID }) groupId: string,
    @CurrentCaller() caller: Caller,
    @Args('userIds', { type: () => [ID], nullable: true }) userIds?: string[] | null,
    @Args('deviceIds', { type: () => [ID], nullable: true }) deviceIds?: string[] | null,
  ) {
    return this.groupService.removeMembers(caller, groupId, userIds, deviceIds);
  }

  @ResolveField(() => [User], { description: 'By display name.' })
  users(@Parent() group: GroupEntity, @Context() ctx: object, @CurrentCaller() caller: Caller) {
    return mayReadDirectory(caller) ? this.loaders.usersOfGroup(ctx, group.tenantId).load(group.id) : [];
  }

  @ResolveField(() => [Device], { description: 'By display name.' })
  devices(@Parent() group: GroupEntity, @Context() ctx: object, @CurrentCaller() caller: Caller) {
    return mayReadDirectory(caller) ? this.loaders.devicesOfGroup(ctx, group.tenantId).load(group.id) : [];
  }

  @ResolveReference()
  resolveReference(@Parent() ref: { id: string }, @CurrentCaller() caller: Caller) {
    return this.groupService.findInTenant(tenantOf(caller), ref.id);
  }
}
