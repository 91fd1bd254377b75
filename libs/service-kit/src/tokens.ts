/** Injection tokens provided by `ServiceKitModule` to every service. */
export const SERVICE_OPTIONS = Symbol('SERVICE_OPTIONS');
export const KAFKA = Symbol('KAFKA');
export const INTERNAL_TOKEN_VERIFIER = Symbol('INTERNAL_TOKEN_VERIFIER');
export const SERVICE_TOKEN_VERIFIER = Symbol('SERVICE_TOKEN_VERIFIER');
export const ADMIN_PERMISSION_SOURCE = Symbol('ADMIN_PERMISSION_SOURCE');
export const PROCESS_METRICS = Symbol('PROCESS_METRICS');
