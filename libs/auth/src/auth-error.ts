/**
 * An authentication failure. `message` is short and safe to show to a client
 * (for example 'token expired', 'unknown issuer', 'invalid signature'); it never
 * carries token contents, key material or library internals.
 */
export class AuthError extends Error {
  /** The GraphQL `extensions.code` a server should answer with. */
  readonly code = 'UNAUTHENTICATED' as const;

  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

/** jose errors carry a stable `code`; match on it rather than on `instanceof` (robust to duplicate module copies). */
function joseCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Maps any error thrown while verifying a JWT (jose's or ours) to an AuthError with
 * a short safe message. The original error is not exposed.
 */
export function toAuthError(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  switch (joseCode(err)) {
    case 'ERR_JWT_EXPIRED':
      return new AuthError('token expired');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const { claim, reason } = err as { claim?: string; reason?: string };
      if (reason === 'missing' || reason === 'invalid') return new AuthError('malformed token');
      if (claim === 'nbf') return new AuthError('token not yet valid');
      if (claim === 'aud') return new AuthError('wrong audience');
      if (claim === 'iss') return new AuthError('unknown issuer');
      if (claim === 'typ') return new AuthError('wrong token type');
      return new AuthError('invalid token claims');
    }
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new AuthError('invalid signature');
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return new AuthError('unsupported algorithm');
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JWK_INVALID':
      return new AuthError('malformed token');
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return new AuthError('issuer keys unavailable');
    default:
      return new AuthError('invalid token');
  }
}
