#!/usr/bin/env node
// `npm run supergraph`: builds, prints each subgraph's SDL into apps/<service>/schema.graphql and
// composes them into apps/gateway/supergraph.graphql (both checked in; tests fail when stale).
// `npm run supergraph -- --check` only says whether the checked-in files are current.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUBGRAPH_SERVICES } from './lib/services.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const check = process.argv.includes('--check');

execFileSync('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static'], { cwd: root, stdio: ['ignore', 2, 2] });
const { composeSupergraph } = require(path.join(root, 'apps/gateway/dist/supergraph/compose.js'));

let stale = false;
const subgraphs = SUBGRAPH_SERVICES.map((s) => {
  const sdl = execFileSync(process.execPath, [path.join(root, 'scripts/print-sdl.cjs'), s.name], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 2] });
  stale = writeOrCheck(path.join(root, 'apps', s.name, 'schema.graphql'), sdl) || stale;
  return { name: s.subgraph, url: `http://127.0.0.1:${s.port}/graphql`, sdl };
});
stale = writeOrCheck(path.join(root, 'apps/gateway/supergraph.graphql'), composeSupergraph(subgraphs)) || stale;
if (check && stale) {
  process.stderr.write('the checked-in schemas are stale: run `npm run supergraph` and commit the result\n');
  process.exit(1);
}
process.stderr.write(check ? 'schemas are current\n' : 'schemas written\n');

function writeOrCheck(file, content) {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (current === content) return false;
  if (check) process.stderr.write(`stale: ${path.relative(root, file)}\n`);
  else fs.writeFileSync(file, content);
  return true;
}
