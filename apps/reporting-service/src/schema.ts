import { Tenant } from './tenant/tenant.model';
import { TenantMonitorResolver } from './tenant/tenant-monitor.resolver';

/** What this subgraph serves: its resolvers, and types no query returns directly. */
export const RESOLVERS = [TenantMonitorResolver];
export const ORPHANED_TYPES: Function[] = [Tenant];
