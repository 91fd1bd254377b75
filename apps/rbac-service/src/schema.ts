import type { Type } from '@nestjs/common';
import { AccessResolver } from './access/access.resolver';
import { RoleAssignmentResolver } from './assignment/role-assignment.resolver';
import { RoleResolver } from './role/role.resolver';
import { Tenant } from './tenant/tenant.model';
import { TenantRolesResolver } from './tenant/tenant-roles.resolver';
import { User } from './user/user.model';
import { UserPermissionsResolver } from './user/user-permissions.resolver';

/** What this subgraph serves: its resolvers, and types no query returns directly. */
export const RESOLVERS = [RoleResolver, RoleAssignmentResolver, AccessResolver, TenantRolesResolver, UserPermissionsResolver];
export const ORPHANED_TYPES: Type[] = [Tenant, User];
