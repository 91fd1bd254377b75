export * from './built-in-roles';
export * from './directory';
export * from './permissions';
export * from './sessions';
