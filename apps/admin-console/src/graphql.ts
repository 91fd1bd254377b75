import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.d.ts';

/** Operations typed against the composed API schema (schema.graphql, written by the build from the supergraph). */
export const graphql = initGraphQLTada<{ introspection: introspection; scalars: { DateTime: string } }>();
export type { ResultOf, VariablesOf } from 'gql.tada';
