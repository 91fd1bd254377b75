// The five processes of the system, in start order, with their default ports (public and metrics) and databases.
export const SUBGRAPH_SERVICES = [
  { name: 'tenant-service', subgraph: 'tenant', port: 4001, metricsPort: 9401, database: 'remote_help_tenant', urlEnv: 'TENANT_SERVICE_URL' },
  { name: 'rbac-service', subgraph: 'rbac', port: 4002, metricsPort: 9402, database: 'remote_help_rbac', urlEnv: 'RBAC_SERVICE_URL' },
  { name: 'session-service', subgraph: 'session', port: 4003, metricsPort: 9403, database: 'remote_help_session', urlEnv: 'SESSION_SERVICE_URL' },
  { name: 'reporting-service', subgraph: 'reporting', port: 4004, metricsPort: 9404, database: 'remote_help_reporting', urlEnv: 'REPORTING_SERVICE_URL' },
];
export const GATEWAY = { name: 'gateway', port: 4000, metricsPort: 9400 };
