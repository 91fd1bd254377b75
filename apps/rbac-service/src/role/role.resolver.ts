import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { CurrentCaller, tenantOf } from '@remote-help/service-kit';
import { RoleAssignment } from '../assignment/role-assignment.model';
import { RoleAssignmentService } from '../assignment/role-assignment.service';
import { memoAssignmentsByRole } from './request-memo';
import { CreateRoleInput, UpdateRoleInput } from './role.input';
import { Role } from './role.model';
import { RoleService } from './role.service';

@Resolver(() => Role)
export class RoleResolver {
  constructor(
    private readonly roleService: RoleService,
    private readonly assignmentService: RoleAssignmentService,
  ) {}

  @Query(() => [Role], { description: "The tenant's roles, built-in first." })
  roles(@CurrentCaller() caller: Caller) {
    return this.roleService.listForTenant(tenantOf(caller));
  }

  @Query(() => Role, { nullable: true })
  role(@Args('id', { type: () => ID }) id: string, @CurrentCaller() caller: Caller) {
    return this.roleService.findInTenant(tenantOf(caller), id);
  }

  @ResolveField(() => [RoleAssignment], { description: 'The assignments of this role.' })
  async assignments(@Parent() role: Role, @CurrentCaller() caller: Caller, @Context() ctx: object) {
    if (role.tenantId !== caller.tenantId) return [];
    const byRole = await memoAssignmentsByRole(ctx, () => this.assignmentService.listForTenant(role.tenantId));
    return byRole.get(role.id) ?? [];
  }

  @Mutation(() => Role, { description: 'A custom role (MANAGE_ROLES). Its name must be unique in the tenant, whatever the case.' })
  createRole(@Args('input') input: CreateRoleInput, @CurrentCaller() caller: Caller) {
    return this.roleService.createRole(caller, input);
  }

  @Mutation(() => Role, { description: 'Changes a custom role (MANAGE_ROLES); built-in roles cannot be edited.' })
  updateRole(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateRoleInput, @CurrentCaller() caller: Caller) {
    return this.roleService.updateRole(caller, id, input);
  }

  @Mutation(() => Boolean, { description: 'Deletes a custom role that has no assignments (MANAGE_ROLES); built-in roles cannot be deleted.' })
  deleteRole(@Args('id', { type: () => ID }) id: string, @CurrentCaller() caller: Caller) {
    return this.roleService.deleteRole(caller, id);
  }
}
