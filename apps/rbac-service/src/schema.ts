import { RoleResolver } from './role/role.resolver';
import { Tenant } from './tenant/tenant.model';
import { TenantRolesResolver } from './tenant/tenant-roles.resolver';

/** What this subgraph serves: its resolvers, and types no query returns directly. */
export const RESOLVERS = [RoleResolver, TenantRolesResolver];
export const ORPHANED_TYPES: Function[] = [Tenant];
