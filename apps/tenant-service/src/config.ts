import { subgraphConfigSpec } from '@remote-help/service-kit';

export const SERVICE_NAME = 'tenant-service';
export const configSpec = subgraphConfigSpec({ port: 4001, database: 'remote_help_tenant' });
