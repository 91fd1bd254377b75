#!/usr/bin/env node
// Builds the admin console: the API schema (from the checked-in supergraph) -> gql.tada's types
// -> every operation validated against the schema (a renamed field fails here) -> tsc -> vite
// build -> the size of the initial JavaScript, gzipped (fails above 300 KB).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const app = path.resolve(here, '..');
const root = path.resolve(app, '..', '..');
const require = createRequire(import.meta.url);
const LIMIT = 300 * 1024;

// 1. The public API schema, as clients see it (the supergraph minus federation's machinery).
const { Supergraph } = require('@apollo/federation-internals');
const { printSchema, lexicographicSortSchema } = require('graphql');
const supergraph = fs.readFileSync(path.join(root, 'apps', 'gateway', 'supergraph.graphql'), 'utf8');
const api = Supergraph.build(supergraph).apiSchema().toGraphQLJSSchema();
fs.writeFileSync(path.join(app, 'schema.graphql'), printSchema(lexicographicSortSchema(api)));

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => {
  try {
    execFileSync(cmd, args, { cwd: app, stdio: 'inherit' });
  } catch {
    process.stderr.write(`admin console: ${path.basename(cmd)} ${args.join(' ')} failed (see above)\n`);
    process.exit(1);
  }
};
// 2. gql.tada's introspection types, 3. the operations checked against the schema.
run(bin('gql.tada'), ['generate', 'output']);
run(bin('gql.tada'), ['check', '--fail-on-warn']);
// 4. Types of the whole app, 5. the bundle.
run(bin('tsc'), ['-p', 'tsconfig.json']);
run(bin('vite'), ['build', '--logLevel', 'error']);

// 6. The initial JavaScript: the entry script and what index.html preloads.
const dist = path.join(app, 'dist');
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const size = initial.reduce((n, f) => n + gzipSync(fs.readFileSync(path.join(dist, f))).length, 0);
const all = fs.readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js'));
const report = { initialJsGzipBytes: size, initialFiles: initial, lazyChunks: all.length - initial.length, limitBytes: LIMIT };
fs.writeFileSync(path.join(dist, 'bundle-size.json'), JSON.stringify(report, null, 2));
process.stdout.write(`admin console: initial JavaScript ${(size / 1024).toFixed(1)} KB gzipped (limit ${LIMIT / 1024} KB) in ${initial.length} file(s); ${report.lazyChunks} lazy chunk(s)\n`);
if (size > LIMIT) {
  process.stderr.write('admin console: the initial JavaScript is over the limit\n');
  process.exit(1);
}
