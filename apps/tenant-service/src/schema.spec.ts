import { printSubgraphSdl } from '@remote-help/service-kit/testing';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ORPHANED_TYPES, RESOLVERS } from './schema';

describe('subgraph schema', () => {
  it('is the checked-in schema.graphql (after a change: `npm run supergraph`, then commit)', async () => {
    const served = (await printSubgraphSdl(RESOLVERS, ORPHANED_TYPES)).trimEnd() + '\n';
    expect(fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8')).toBe(served);
  });
});
