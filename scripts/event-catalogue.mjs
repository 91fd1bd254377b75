#!/usr/bin/env node
// `npm run events:catalogue`: builds libs/events and writes the published event catalogue into
// docs/events (asyncapi.yaml and one JSON Schema per event), generated from the event schemas.
// Whether the checked-in files are current is the unit test's to say
// (libs/events/src/contracts/catalogue-document.spec.ts).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

execFileSync('npx', ['nx', 'run', '@remote-help/events:build', '--output-style=static'], { cwd: root, stdio: ['ignore', 2, 2] });
const { CATALOGUE_DIR, catalogueFiles } = require(path.join(root, 'libs/events/dist/contracts/catalogue-document.js'));

const dir = path.join(root, CATALOGUE_DIR);
const files = catalogueFiles();
for (const [name, content] of files) {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}
// Schemas of event types or versions that are no longer in the catalogue.
const schemasDir = path.join(dir, 'schemas');
for (const name of fs.readdirSync(schemasDir)) if (!files.has(`schemas/${name}`)) fs.rmSync(path.join(schemasDir, name));
process.stderr.write(`the event catalogue is written (${CATALOGUE_DIR})\n`);
