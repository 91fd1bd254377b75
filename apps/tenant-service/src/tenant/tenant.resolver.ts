import { Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { CurrentCaller, tenantOf } from '@remote-help/service-kit';
import { RemoteHelpSettings, Tenant } from './tenant.model';
import { TenantService } from './tenant.service';

@Resolver(() => Tenant)
export class TenantResolver {
  constructor(private readonly tenants: TenantService) {}

  @Query(() => Tenant, { description: "The caller's tenant." })
  tenant(@CurrentCaller() caller: Caller) {
    return this.tenants.getTenant(tenantOf(caller));
  }

  @ResolveField(() => RemoteHelpSettings)
  remoteHelpSettings(@Parent() tenant: Tenant) {
    return this.tenants.getSettings(tenant.id);
  }

  @ResolveReference()
  resolveReference(@Parent() ref: { id: string }, @CurrentCaller() caller: Caller) {
    return ref.id === caller.tenantId ? this.tenants.getTenant(ref.id) : null;
  }
}
