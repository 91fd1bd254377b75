import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { CurrentCaller } from '@remote-help/service-kit';
import { Role } from '../role/role.model';
import { RoleService } from '../role/role.service';
import { Tenant } from './tenant.model';

@Resolver(() => Tenant)
export class TenantRolesResolver {
  constructor(private readonly roleService: RoleService) {}

  @ResolveField(() => [Role])
  roles(@Parent() tenant: Tenant, @CurrentCaller() caller: Caller) {
    return tenant.id === caller.tenantId ? this.roleService.listForTenant(tenant.id) : [];
  }
}
