// The benchmark scenarios, in run order. Each: { name, description, run(ctx) -> { rows, ratios, targets } }.
import accessDecision from './access-decision.mjs';
import csvExport from './csv-export.mjs';
import dashboardFanOut from './dashboard-fan-out.mjs';
import gatewayOverhead from './gateway-overhead.mjs';
import memory from './memory.mjs';
import reporting from './reporting.mjs';
import sessionThroughput from './session-throughput.mjs';
import startToDashboard from './start-to-dashboard.mjs';

export const SCENARIOS = [gatewayOverhead, accessDecision, sessionThroughput, startToDashboard, dashboardFanOut, reporting, memory, csvExport];
