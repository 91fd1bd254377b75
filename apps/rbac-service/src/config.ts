import { subgraphConfigSpec } from '@remote-help/service-kit';

export const SERVICE_NAME = 'rbac-service';
export const configSpec = subgraphConfigSpec({ port: 4002, database: 'remote_help_rbac' });
