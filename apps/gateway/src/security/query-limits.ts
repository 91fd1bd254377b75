import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';

/** Marks the errors of the query limits, so that the error formatter answers them as BAD_USER_INPUT. */
export const LIMIT_EXTENSION = 'queryLimit';

export interface QueryLimitSettings {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
}

/**
 * The operation limits of the OWASP GraphQL cheat sheet, from graphql-armor: depth, aliases,
 * directives and estimated cost as validation rules (reported, not thrown, so that Apollo answers
 * 400), and the token limit as graphql-js's own `maxTokens` parse option, which stops the lexer
 * before the whole document is parsed (armor's Apollo token plugin throws outside Apollo's parse
 * error handling, which would answer 500).
 */
export function queryLimits(s: QueryLimitSettings): { plugins: ApolloServerPlugin[]; validationRules: ValidationRule[]; parseOptions: ParseOptions } {
  const report = (limit: string) => (ctx: ValidationContext | null, error: GraphQLError) => {
    ctx?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT', [LIMIT_EXTENSION]: limit } }));
  };
  const reject = (limit: string) => ({ onReject: [report(limit)], propagateOnRejection: false, exposeLimits: true });
  const armor = new ApolloArmor({
    maxDepth: { n: s.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...reject('depth') },
    maxAliases: { n: s.maxAliases, ...reject('aliases') },
    maxDirectives: { n: s.maxDirectives, ...reject('directives') },
    costLimit: { maxCost: s.maxCost, ignoreIntrospection: true, ...reject('cost') },
    maxTokens: { enabled: false },
    // Suggestions are hidden by the error formatter instead: armor's plugin rewrites `message` on
    // every error, which throws on the gateway's own errors (read-only message) and turns a
    // subgraph failure into an unlogged internal error.
    blockFieldSuggestion: { enabled: false },
  });
  const { plugins, validationRules } = armor.protect();
  return { plugins: plugins as ApolloServerPlugin[], validationRules: validationRules as ValidationRule[], parseOptions: { maxTokens: s.maxTokens } };
}

/** graphql-js's message when a document exceeds `maxTokens`. */
export const TOKEN_LIMIT_MESSAGE = /Document contains more th(?:an|at) (\d+) tokens/; // graphql 16 says "more that"
