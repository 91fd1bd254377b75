#!/usr/bin/env node
// `npm run events:catalogue`: builds libs/events and writes the published event catalogue into
// docs/events (asyncapi.yaml and one JSON Schema per event), generated from the event schemas.
// `npm run events:catalogue -- --check` only says whether the checked-in files are current (the
// unit test libs/events/src/contracts/catalogue-document.spec.ts checks the same).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const check = process.argv.includes('--check');

execFileSync('npx', ['nx', 'run', '@remote-help/events:build', '--output-style=static'], { cwd: root, stdio: ['ignore', 2, 2] });
const { CATALOGUE_DIR, catalogueFiles } = require(path.join(root, 'libs/events/dist/contracts/catalogue-document.js'));

const dir = path.join(root, CATALOGUE_DIR);
const files = catalogueFiles();
let stale = false;
for (const [name, content] of files) {
  const file = path.join(dir, name);
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (current === content) continue;
  stale = true;
  if (check) process.stderr.write(`stale: ${path.relative(root, file)}\n`);
  else {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}
// Schemas of event types or versions that are no longer in the catalogue.
const schemasDir = path.join(dir, 'schemas');
for (const name of fs.existsSync(schemasDir) ? fs.readdirSync(schemasDir) : []) {
  if (files.has(`schemas/${name}`)) continue;
  stale = true;
  if (check) process.stderr.write(`not in the catalogue: ${path.relative(root, path.join(schemasDir, name))}\n`);
  else fs.rmSync(path.join(schemasDir, name));
}
if (check && stale) {
  process.stderr.write('the event catalogue is stale: run `npm run events:catalogue` and commit the result\n');
  process.exit(1);
}
process.stderr.write(check ? 'the event catalogue is current\n' : `the event catalogue is written (${CATALOGUE_DIR})\n`);
