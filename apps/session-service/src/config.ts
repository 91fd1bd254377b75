import { subgraphConfigSpec } from '@remote-help/service-kit';

export const SERVICE_NAME = 'session-service';
export const configSpec = subgraphConfigSpec({ port: 4003, database: 'remote_help_session' });
