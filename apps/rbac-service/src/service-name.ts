/** The process's name: in logs, metrics, tokens and traces. */
export const SERVICE_NAME = 'rbac-service';
