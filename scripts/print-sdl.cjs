// Prints the SDL that one subgraph serves at `_service { sdl }`, from its built resolvers alone
// (no database, no broker). One process per subgraph: Nest keeps its type metadata globally.
// Usage: node scripts/print-sdl.cjs tenant-service
require('reflect-metadata');
const path = require('node:path');
const service = process.argv[2];
const root = path.resolve(__dirname, '..');
const { printSubgraphSdl } = require(path.join(root, 'libs/service-kit/dist/testing/print-subgraph-sdl.js'));
const { RESOLVERS, ORPHANED_TYPES } = require(path.join(root, 'apps', service, 'dist/schema.js'));
printSubgraphSdl(RESOLVERS, ORPHANED_TYPES).then(
  (sdl) => process.stdout.write(sdl.trimEnd() + '\n'),
  (e) => {
    process.stderr.write(`${service}: ${e.stack || e}\n`);
    process.exit(1);
  },
);
