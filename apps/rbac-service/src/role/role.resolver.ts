import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { CurrentCaller, tenantOf } from '@remote-help/service-kit';
import { Role } from './role.model';
import { RoleService } from './role.service';

@Resolver(() => Role)
export class RoleResolver {
  constructor(private readonly roleService: RoleService) {}

  @Query(() => [Role], { description: "The tenant's roles, built-in first." })
  roles(@CurrentCaller() caller: Caller) {
    return this.roleService.listForTenant(tenantOf(caller));
  }

  @Query(() => Role, { nullable: true })
  role(@Args('id', { type: () => ID }) id: string, @CurrentCaller() caller: Caller) {
    return this.roleService.findInTenant(tenantOf(caller), id);
  }
}
