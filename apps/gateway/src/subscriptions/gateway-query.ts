import type { FragmentDefinitionNode, GraphQLResolveInfo, SelectionNode } from 'graphql';
import { GraphQLError, Kind, print, visit } from 'graphql';

export interface QueryResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * A query that fetches `rootField(id: $__id)` with exactly the selection the subscriber asked for
 * at `info` (its fragments and variables included), so that a pushed event is resolved through the
 * gateway, with the subscriber's own identity, like any query.
 */
export function selectionQuery(rootField: string, info: GraphQLResolveInfo): string {
  const selections: SelectionNode[] = info.fieldNodes.flatMap((n) => [...(n.selectionSet?.selections ?? [])]);
  const fragments = new Map<string, FragmentDefinitionNode>();
  const variables = new Set<string>();
  const walk = (nodes: readonly SelectionNode[]) => {
    for (const node of nodes) {
      visit(node, {
        FragmentSpread(spread) {
          const name = spread.name.value;
          if (fragments.has(name) || !info.fragments[name]) return;
          fragments.set(name, info.fragments[name]);
          walk(info.fragments[name].selectionSet.selections);
        },
        Variable(v) {
          variables.add(v.name.value);
        },
      });
    }
  };
  walk(selections);
  const defs = (info.operation.variableDefinitions ?? []).filter((d) => variables.has(d.variable.name.value)).map((d) => print(d));
  return [
    `query GatewaySubscriptionResolve(${[...defs, '$__id: ID!'].join(', ')}) {`,
    `  result: ${rootField}(id: $__id) { ${selections.map((s) => print(s)).join(' ')} }`,
    '}',
    ...[...fragments.values()].map((f) => print(f)),
  ].join('\n');
}

/** The variables of `selectionQuery`: the ones the selection uses, plus the id. */
export function selectionVariables(info: GraphQLResolveInfo, id: string): Record<string, unknown> {
  return { ...info.variableValues, __id: id };
}

/** The first error of a result as a GraphQL error with its code (and reasons). */
export function firstError(result: QueryResult): GraphQLError | undefined {
  const e = result.errors?.[0];
  if (!e) return undefined;
  const { code, reasons } = e.extensions ?? {};
  return new GraphQLError(e.message, { extensions: { code: code ?? 'INTERNAL_SERVER_ERROR', ...(reasons ? { reasons } : {}) } });
}

export function isSubscriptionOperation(document: { definitions: readonly { kind: string; operation?: string }[] }, operationName?: string | null): boolean {
  const ops = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION) as { operation: string; name?: { value: string } }[];
  const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops.length === 1 ? ops[0] : undefined;
  return op?.operation === 'subscription';
}
