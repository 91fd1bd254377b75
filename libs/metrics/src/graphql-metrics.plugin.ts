import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { Kind, type GraphQLError, type OperationDefinitionNode } from 'graphql';
import type { ProcessMetrics } from './process-metrics';

/** The `operation` label of a request that never resolved to an operation of the schema (did not parse or validate). */
export const UNRESOLVED_OPERATION = 'unresolved';

/**
 * The root field that names an operation in the metrics: its first root field (a field of the
 * schema: the operation has been validated, so the values are bounded by the schema, unlike
 * client-chosen operation names). `unresolved` before validation.
 */
export function operationRootField(operation: OperationDefinitionNode | undefined | null): string {
  if (!operation) return UNRESOLVED_OPERATION;
  for (const s of operation.selectionSet.selections) if (s.kind === Kind.FIELD && s.name.value !== '__typename') return s.name.value;
  const first = operation.selectionSet.selections[0];
  return first?.kind === Kind.FIELD ? first.name.value : 'other';
}

function codeOf(err: { extensions?: { readonly [key: string]: unknown } }): string {
  const code = err.extensions?.code;
  return typeof code === 'string' && code ? code : 'INTERNAL_SERVER_ERROR';
}

/**
 * Apollo Server plugin: one `remote_help_graphql_request_duration_seconds` observation per
 * operation (by root field, type and outcome) and a `remote_help_graphql_errors_total` count per
 * error answered (by root field and code). A request refused before it reached GraphQL (the
 * context failed: no or a bad token, a rate limit) counts as `unresolved` with its error's code.
 */
export function graphqlMetricsPlugin(metrics: ProcessMetrics): ApolloServerPlugin {
  return {
    async contextCreationDidFail({ error }) {
      metrics.graphqlErrors.inc({ operation: UNRESOLVED_OPERATION, code: metrics.codeLabel(codeOf(error as GraphQLError)) });
    },
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(ctx: GraphQLRequestContext<object>) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const operation = metrics.operationLabel(operationRootField(ctx.operation));
          // The errors as the client gets them (formatted: an unexpected one is INTERNAL_SERVER_ERROR).
          const body = ctx.response.body;
          const answered = body?.kind === 'single' ? (body.singleResult.errors ?? []) : [];
          const all = answered.length ? answered : (ctx.errors ?? []);
          metrics.graphqlRequestDuration.observe({ operation, type: ctx.operation?.operation ?? 'unknown', outcome: all.length ? 'error' : 'ok' }, seconds);
          for (const e of all) metrics.graphqlErrors.inc({ operation, code: metrics.codeLabel(codeOf(e)) });
        },
      };
    },
  };
}
