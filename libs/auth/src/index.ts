export * from './auth-error';
export * from './caller';
export * from './dev-issuer';
export * from './token-verifier';
export * from './internal-token';
export * from './oidc-issuers';
export * from './verified-token-cache';
