// The end-to-end tests run through swc, which strips types without checking them: this checks
// them with tsc (tests/e2e/tsconfig.check.json), so that a wrong type in a test or its support
// code fails here instead of hiding a wrong assumption.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

it('the end-to-end tests type-check', () => {
  const tsc = require.resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tests/e2e/tsconfig.check.json'), '--pretty', 'false'], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
}, 120_000);
