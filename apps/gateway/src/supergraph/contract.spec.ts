import { buildSchema } from 'graphql';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { apiSchemaOf } from './api-schema';
import { missingContractElements } from './contract-check';

const gatewayDir = path.resolve(__dirname, '..', '..');
const repoRoot = path.resolve(gatewayDir, '..', '..');
const contractFile = process.env.RH_CONTRACT_FILE ?? path.resolve(repoRoot, '..', 'shared', 'contract', 'remote-help.graphql');
const pendingFile = path.join(gatewayDir, 'contract-pending.txt');

function pendingList(): string[] {
  return fs
    .readFileSync(pendingFile, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

describe('public contract', () => {
  it(`is served by the gateway, except what contract-pending.txt still lists`, async () => {
    expect(fs.existsSync(contractFile)).toBe(true);
    const contract = buildSchema(fs.readFileSync(contractFile, 'utf8'));
    const api = await apiSchemaOf(fs.readFileSync(path.join(gatewayDir, 'supergraph.graphql'), 'utf8'));
    const missing = missingContractElements(contract, api);
    const pending = new Set(pendingList());
    expect(missing.filter((m) => !pending.has(m))).toEqual([]);
    // The list only shrinks: an element that is served now must leave it.
    expect([...pending].filter((p) => !missing.includes(p))).toEqual([]);
  });
});

describe('missingContractElements', () => {
  const contract = buildSchema(`
    enum Color { RED GREEN }
    input Filter { color: Color!  name: String }
    type Thing { id: ID!  name: String  tags: [String!]!  find(filter: Filter, first: Int): [Thing!]! }
    type Query { thing(id: ID!): Thing  things: [Thing!]! }
  `);

  it('finds nothing missing in an identical schema', () => {
    expect(missingContractElements(contract, contract)).toEqual([]);
  });

  it('accepts stricter outputs and looser inputs', () => {
    const actual = buildSchema(`
      enum Color { RED GREEN BLUE }
      input Filter { color: Color  name: String  extra: Int }
      type Thing { id: ID!  name: String!  tags: [String!]!  find(filter: Filter, first: Int, after: String): [Thing!]!  more: Int }
      type Query { thing(id: ID): Thing!  things: [Thing!]! }
    `);
    expect(missingContractElements(contract, actual)).toEqual([]);
  });

  it('names each missing or incompatible element', () => {
    const actual = buildSchema(`
      enum Color { RED }
      input Filter { color: Color!  name: Int  required: ID! }
      type Thing { id: ID  tags: [String!]  find(first: Int, must: ID!): [Thing!]! }
      type Query { thing(id: ID!): Thing }
    `);
    expect(missingContractElements(contract, actual).sort()).toEqual(
      ['Color.GREEN', 'Filter.name', 'Filter.required(required, not in contract)', 'Thing.id', 'Thing.name', 'Thing.tags', 'Thing.find(filter)', 'Thing.find(must: required, not in contract)', 'Query.things'].sort(),
    );
  });

  it('reports a missing type once, not each of its fields', () => {
    const actual = buildSchema(`type Query { things: [Int!]! }`);
    const missing = missingContractElements(contract, actual);
    expect(missing).toEqual(expect.arrayContaining(['Thing', 'Color', 'Filter']));
    expect(missing.some((m) => m.startsWith('Thing.'))).toBe(false);
  });
});
