import * as fs from 'node:fs';
import * as path from 'node:path';
import { composeSupergraph } from './compose';

const apps = path.resolve(__dirname, '..', '..', '..');
const SUBGRAPHS = [
  ['tenant', 'tenant-service', 4001],
  ['rbac', 'rbac-service', 4002],
  ['session', 'session-service', 4003],
  ['reporting', 'reporting-service', 4004],
] as const;

describe('checked-in supergraph', () => {
  // Each service's own schema.spec.ts checks that its schema.graphql is what its code serves;
  // this closes the chain: the supergraph is the composition of exactly those files.
  it('is the composition of the four checked-in subgraph schemas (after a change: `npm run supergraph`)', () => {
    const composed = composeSupergraph(SUBGRAPHS.map(([name, dir, port]) => ({ name, url: `http://127.0.0.1:${port}/graphql`, sdl: fs.readFileSync(path.join(apps, dir, 'schema.graphql'), 'utf8') })));
    expect(fs.readFileSync(path.join(apps, 'gateway', 'supergraph.graphql'), 'utf8')).toBe(composed);
  });

  it('fails to compose when two subgraphs disagree about a type', () => {
    const a = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) type Query { a: Thing } type Thing @key(fields: "id") { id: ID! size: Int }';
    const b = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) type Query { b: Thing } type Thing @key(fields: "id") { id: ID! size: String }';
    expect(() =>
      composeSupergraph([
        { name: 'a', url: 'http://a', sdl: a },
        { name: 'b', url: 'http://b', sdl: b },
      ]),
    ).toThrow(/composition failed/);
  });
});
