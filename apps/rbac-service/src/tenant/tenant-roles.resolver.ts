import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { CurrentCaller } from '@remote-help/service-kit';
import { RoleAssignment } from '../assignment/role-assignment.model';
import { RoleAssignmentService } from '../assignment/role-assignment.service';
import { Role } from '../role/role.model';
import { RoleService } from '../role/role.service';
import { Tenant } from './tenant.model';

@Resolver(() => Tenant)
export class TenantRolesResolver {
  constructor(
    private readonly roleService: RoleService,
    private readonly assignments: RoleAssignmentService,
  ) {}

  @ResolveField(() => [Role])
  roles(@Parent() tenant: Tenant, @CurrentCaller() caller: Caller) {
    return tenant.id === caller.tenantId ? this.roleService.listForTenant(tenant.id) : [];
  }

  @ResolveField(() => [RoleAssignment])
  roleAssignments(@Parent() tenant: Tenant, @CurrentCaller() caller: Caller) {
    return tenant.id === caller.tenantId ? this.assignments.listForTenant(tenant.id) : [];
  }
}
