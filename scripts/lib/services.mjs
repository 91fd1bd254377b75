// The five processes of the system, in start order, with their default ports and databases.
export const SUBGRAPH_SERVICES = [
  { name: 'tenant-service', subgraph: 'tenant', port: 4001, database: 'remote_help_tenant', urlEnv: 'TENANT_SERVICE_URL' },
  { name: 'rbac-service', subgraph: 'rbac', port: 4002, database: 'remote_help_rbac', urlEnv: 'RBAC_SERVICE_URL' },
  { name: 'session-service', subgraph: 'session', port: 4003, database: 'remote_help_session', urlEnv: 'SESSION_SERVICE_URL' },
  { name: 'reporting-service', subgraph: 'reporting', port: 4004, database: 'remote_help_reporting', urlEnv: 'REPORTING_SERVICE_URL' },
];
export const GATEWAY = { name: 'gateway', port: 4000 };
