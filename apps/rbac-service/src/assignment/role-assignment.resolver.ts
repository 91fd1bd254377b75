import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { CurrentCaller, tenantOf } from '@remote-help/service-kit';
import { memoRoles } from '../role/request-memo';
import { Role } from '../role/role.model';
import { RoleService } from '../role/role.service';
import { CreateRoleAssignmentInput, RoleAssignment, UpdateRoleAssignmentInput } from './role-assignment.model';
import { RoleAssignmentService } from './role-assignment.service';

@Resolver(() => RoleAssignment)
export class RoleAssignmentResolver {
  constructor(
    private readonly assignments: RoleAssignmentService,
    private readonly roles: RoleService,
  ) {}

  @Query(() => [RoleAssignment], { description: "The tenant's role assignments, the built-in one first." })
  roleAssignments(@CurrentCaller() caller: Caller) {
    return this.assignments.listForTenant(tenantOf(caller));
  }

  @ResolveField(() => Role)
  async role(@Parent() a: RoleAssignment, @Context() ctx: object) {
    const roles = await memoRoles(ctx, () => this.roles.listForTenant(a.tenantId));
    return roles.get(a.roleId) ?? (await this.roles.findInTenant(a.tenantId, a.roleId));
  }

  @Mutation(() => RoleAssignment, {
    description:
      'Gives the members of the admin groups the role over the scope (MANAGE_ROLES). Group ids must be groups of this tenant; ' +
      'a group created a moment ago is waited for (up to 3 s) while the change reaches rbac-service.',
  })
  createRoleAssignment(@Args('input') input: CreateRoleAssignmentInput, @CurrentCaller() caller: Caller) {
    return this.assignments.createRoleAssignment(caller, input);
  }

  @Mutation(() => RoleAssignment, {
    description: 'Changes the given fields of a custom role assignment (MANAGE_ROLES); absent fields are left as they are. The built-in assignment cannot be edited.',
  })
  updateRoleAssignment(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateRoleAssignmentInput, @CurrentCaller() caller: Caller) {
    return this.assignments.updateRoleAssignment(caller, id, input);
  }

  @Mutation(() => Boolean, { description: 'Deletes a role assignment (MANAGE_ROLES); the built-in one cannot be deleted.' })
  deleteRoleAssignment(@Args('id', { type: () => ID }) id: string, @CurrentCaller() caller: Caller) {
    return this.assignments.deleteRoleAssignment(caller, id);
  }
}
