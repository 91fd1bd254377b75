// The benchmark scenarios, in run order. Each: { name, description, run(ctx) -> { rows, ratios, targets } }.
import gatewayOverhead from './gateway-overhead.mjs';
import memory from './memory.mjs';

export const SCENARIOS = [gatewayOverhead, memory];
