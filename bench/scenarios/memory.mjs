// Scenario 7: resident memory of each process, idle (after start-up and a warm-up request), and
// again at the end of the run (after the other scenarios' load).
import { GATEWAY, SUBGRAPH_SERVICES } from '../../scripts/lib/services.mjs';
import { rssMiB } from '../lib/load.mjs';

export function memorySnapshot(system, label) {
  return Promise.all(
    [GATEWAY.name, ...SUBGRAPH_SERVICES.map((s) => s.name)].map(async (name) => ({ scenario: 'memory', target: name, when: label, rssMiB: await rssMiB(system.pidOf(name)) })),
  );
}

export default {
  name: 'memory',
  description: 'resident memory of each process, idle and at the end of the run',
  async run(ctx) {
    return { rows: ctx.memoryAtStart ?? (await memorySnapshot(ctx.run.system, 'idle')), ratios: {}, targets: {} };
  },
};
