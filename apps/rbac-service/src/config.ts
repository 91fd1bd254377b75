import type { ConfigOf } from '@remote-help/service-kit';
import { parsers, subgraphConfigSpec, type VarSpec } from '@remote-help/service-kit';

export { SERVICE_NAME } from './service-name';

/** rbac-service's own variables, beside those every subgraph reads. */
export const RBAC_CONFIG = {
  ACCESS_FACTS_CACHE_ENTRIES: {
    description: 'users and devices (each) whose decision facts are kept in memory, forgotten as soon as their tenant changes (0: read the database on every decision)',
    default: '100000',
    parse: parsers.int(0, 10_000_000),
  },
} satisfies Record<string, VarSpec<unknown>>;

export const configSpec = { ...subgraphConfigSpec({ port: 4002, database: 'remote_help_rbac' }), ...RBAC_CONFIG };
export type RbacConfig = ConfigOf<typeof configSpec>;
