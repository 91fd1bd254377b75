import { ApolloGateway } from '@apollo/gateway';
import type { GraphQLSchema } from 'graphql';

/** The API schema that clients see through the gateway for a supergraph (federation internals removed). */
export async function apiSchemaOf(supergraphSdl: string): Promise<GraphQLSchema> {
  const gateway = new ApolloGateway({ supergraphSdl });
  try {
    const { schema } = await gateway.load();
    return schema;
  } finally {
    await gateway.stop();
  }
}
