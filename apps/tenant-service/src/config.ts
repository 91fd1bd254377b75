import { subgraphConfigSpec } from '@remote-help/service-kit';

export { SERVICE_NAME } from './service-name';
export const configSpec = subgraphConfigSpec({ port: 4001, database: 'remote_help_tenant' });
