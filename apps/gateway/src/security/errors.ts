import { createErrorFormatter } from '@remote-help/service-kit';
import type { GraphQLFormattedError } from 'graphql';
import { LIMIT_EXTENSION, TOKEN_LIMIT_MESSAGE } from './query-limits';
import { RATE_LIMITED } from './rate-limits';

const INTROSPECTION_DISABLED = /introspection is not allowed/i;
/** graphql-js's suggestions ("Did you mean "tenant"?"), as graphql-armor's block-field-suggestions masks them. */
const SUGGESTION = /\s*Did you mean .+\?$/;

/**
 * The gateway's `formatError`: the shared formatter (public codes keep their message, anything
 * else becomes a bare INTERNAL_SERVER_ERROR, never a stack trace), plus
 * - the query limits (armor's validation rules, graphql-js's token limit) as BAD_USER_INPUT;
 * - RATE_LIMITED with its `retryAfterSeconds`;
 * - introspection refused in production with a short message (no configuration hint);
 * - in production, no "Did you mean ...?" suggestions, which would reveal the schema.
 */
export function createGatewayErrorFormatter(log: (err: unknown, formatted: GraphQLFormattedError) => void, opts: { hideSuggestions?: boolean } = {}) {
  const base = createErrorFormatter(log);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (opts.hideSuggestions && formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && SUGGESTION.test(formatted.message)) {
      formatted = { ...formatted, message: formatted.message.replace(SUGGESTION, '') };
    }
    const ext = formatted.extensions ?? {};
    if (ext.code === RATE_LIMITED) {
      return { message: formatted.message, extensions: { code: RATE_LIMITED, retryAfterSeconds: ext.retryAfterSeconds } };
    }
    if (ext[LIMIT_EXTENSION]) {
      return { message: formatted.message, locations: formatted.locations, extensions: { code: 'BAD_USER_INPUT' } };
    }
    const tokens = TOKEN_LIMIT_MESSAGE.exec(formatted.message);
    if (ext.code === 'GRAPHQL_PARSE_FAILED' && tokens) {
      return { message: `Token limit of ${tokens[1]} exceeded: the document is too large.`, extensions: { code: 'BAD_USER_INPUT' } };
    }
    if (ext.code === 'GRAPHQL_VALIDATION_FAILED' && INTROSPECTION_DISABLED.test(formatted.message)) {
      return { message: 'Introspection is disabled on this server.', locations: formatted.locations, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    }
    return base(formatted, error);
  };
}
