export * from './directory-events';
export * from './rbac-events';
