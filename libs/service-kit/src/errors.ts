import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';

/** The error codes of the public contract (`extensions.code`). */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'INTERNAL_SERVER_ERROR';

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message: string, extra?: Record<string, unknown>) => new AppError('FORBIDDEN', message, extra);
export const badInput = (message: string) => new AppError('BAD_USER_INPUT', message);
export const conflict = (message: string) => new AppError('CONFLICT', message);
export const unauthenticated = (message = 'authentication required') => new AppError('UNAUTHENTICATED', message);

/** Codes that carry a message meant for the client; anything else is an internal error. */
const PUBLIC_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo `formatError`: keeps the message and code of the errors meant for clients, drops stack
 * traces and any other extension, and turns everything else into a bare INTERNAL_SERVER_ERROR
 * (logged with its details by `log`).
 */
export function createErrorFormatter(log: (err: unknown, formatted: GraphQLFormattedError) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = String(formatted.extensions?.code ?? '');
    if (PUBLIC_CODES.has(code)) {
      const extensions: Record<string, unknown> = { code };
      if (formatted.extensions?.reasons) extensions.reasons = formatted.extensions.reasons;
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions };
    }
    log(error, formatted);
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
