// Scenario 7: resident memory of each process, idle (after start-up, before any scenario) and at
// the end of scenario 3's load (session-throughput stores that snapshot in
// ctx.memoryAfterSessions); run.mjs adds a last snapshot at the end of the run.
import { GATEWAY, SUBGRAPH_SERVICES } from '../../scripts/lib/services.mjs';
import { rssMiB } from '../lib/load.mjs';

export function memorySnapshot(system, label) {
  return Promise.all([GATEWAY.name, ...SUBGRAPH_SERVICES.map((s) => s.name)].map(async (name) => ({ scenario: 'memory', target: name, when: label, rssMiB: await rssMiB(system.pidOf(name)) })));
}

export default {
  name: 'memory',
  description: 'resident memory of each process, idle and at the end of session-throughput (and of the run)',
  async run(ctx) {
    const idle = ctx.memoryAtStart ?? (await memorySnapshot(ctx.run.system, 'idle'));
    if (!ctx.memoryAfterSessions) process.stderr.write('memory: session-throughput did not run before it, so there is no "end of session-throughput" snapshot\n');
    return { rows: [...idle, ...(ctx.memoryAfterSessions ?? [])], ratios: {}, targets: {} };
  },
};
