import type { INestApplication, Provider, Type } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { Test } from '@nestjs/testing';
import { graphql } from 'graphql';
import { subgraphGraphQLModule } from '../subgraph-graphql.module';

/**
 * The SDL a subgraph serves at `_service { sdl }` (what composition reads), built from its
 * resolvers alone: every dependency is mocked, so no database or broker is needed. Used by
 * `npm run supergraph` and by the stale-supergraph test. Not exported from the package root,
 * so that production code never loads @nestjs/testing.
 */
export async function printSubgraphSdl(resolvers: Provider[], orphanedTypes: Type[] = []): Promise<string> {
  const moduleRef = await Test.createTestingModule({
    imports: [subgraphGraphQLModule({ production: false, orphanedTypes })],
    providers: resolvers,
  })
    .useMocker(() => ({}))
    .compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: false });
  await app.init();
  try {
    const { schema } = app.get(GraphQLSchemaHost);
    const result = await graphql({ schema, source: '{ _service { sdl } }' });
    if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('; '));
    return (result.data as { _service: { sdl: string } })._service.sdl;
  } finally {
    await app.close();
  }
}
