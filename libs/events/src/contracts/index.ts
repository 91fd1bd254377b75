export * from './audit-events';
export * from './directory-events';
export * from './rbac-events';
export * from './reporting-events';
export * from './session-events';
export * from './event-catalogue';
export * from './chat-stream';
export * from './rate-usage';
