import * as fs from 'node:fs';
import * as path from 'node:path';
import { configSpec as gatewaySpec } from '../../apps/gateway/src/config';
import { subgraphConfigSpec } from '@remote-help/service-kit';

/** The README's configuration tables name every variable the processes read. */
describe('README', () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');

  it.each([...Object.keys(subgraphConfigSpec({ port: 1, database: 'x' })), ...Object.keys(gatewaySpec)])('documents %s', (name) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
  });

  it('keeps the quick start to the two commands', () => {
    const quickStart = readme.split('## Quick start')[1].split('\n## ')[0];
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(quickStart)![1];
    expect(
      firstBlock
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('#')[0].trim()),
    ).toEqual(['npm start', 'npm test']);
  });
});
