import { subgraphConfigSpec } from '@remote-help/service-kit';

export const SERVICE_NAME = 'reporting-service';
export const configSpec = subgraphConfigSpec({ port: 4004, database: 'remote_help_reporting' });
