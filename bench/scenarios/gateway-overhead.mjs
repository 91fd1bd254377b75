// Scenario 1: one dashboard query spanning three subgraphs (tenant settings, roles, active
// count) through this gateway, against the same subgraphs directly, and through Hive Gateway
// over the same supergraph. Each figure is the median of the repeats; ratios are taken from
// figures measured in the same run.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { ROOT } from '../../scripts/lib/bootstrap.mjs';
import { freePort } from '../../scripts/lib/isolated-system.mjs';
import { median, runLoad } from '../lib/load.mjs';
import { withCpu } from '../lib/process-stats.mjs';

const require = createRequire(import.meta.url);

export const DASHBOARD = `query Dashboard {
  tenant {
    id
    remoteHelpSettings { remoteHelpEnabled allowUnenrolledDevices chatDisabled }
    roles { id displayName builtIn }
    activeSessionCount
  }
}`;

/** The same data asked of each subgraph directly, as the gateway's query plan does. */
function directRequests(tenantId) {
  const entities = (fields) => ({
    query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Tenant { ${fields} } } }`,
    variables: { r: [{ __typename: 'Tenant', id: tenantId }] },
  });
  return [
    { service: 'tenant-service', body: { query: '{ tenant { id remoteHelpSettings { remoteHelpEnabled allowUnenrolledDevices chatDisabled } } }' } },
    { service: 'rbac-service', body: entities('roles { id displayName builtIn }') },
    { service: 'reporting-service', body: entities('activeSessionCount') },
  ];
}

export default {
  name: 'gateway-overhead',
  description: 'dashboard query over three subgraphs: this gateway vs the subgraphs directly vs Hive Gateway',
  async run(ctx) {
    const { quick } = ctx;
    const connections = quick ? 2 : 50;
    const durationSeconds = quick ? 1 : 20;
    const repeats = quick ? 1 : 3;
    const t = await ctx.newTenant();
    const auth = require(path.join(ROOT, 'libs/auth/dist/index.js'));
    const keysDir = path.join(ctx.run.dataDir, 'keys');
    const signer = auth.createInternalTokenSigner(fs.readFileSync(path.join(keysDir, 'internal.private.pem'), 'utf8'));
    const caller = { kind: 'user', tenantId: t.tenantId, userId: t.adminUserId, upn: t.adminUpn };
    const check = await ctx.gql(DASHBOARD, {}, t.adminToken);
    if (check.errors?.length) throw new Error(`the dashboard query fails: ${JSON.stringify(check.errors)}`);

    const hivePort = await freePort();
    const supergraphSdl = rewriteUrls(fs.readFileSync(path.join(ROOT, 'apps/gateway/supergraph.graphql'), 'utf8'), ctx.run.system);
    const hive = spawn(process.execPath, [path.join(ROOT, 'bench/peers/hive-gateway.mjs'), JSON.stringify({
      port: hivePort,
      supergraphSdl,
      subgraphs: SUBGRAPHS.map((s) => ({ url: `${ctx.run.system.urlOf(s)}/graphql`, audience: s })),
      privateKeyFile: path.join(keysDir, 'internal.private.pem'),
      caller,
    })], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve, reject) => {
      hive.stdout.on('data', (d) => String(d).includes('ready') && resolve());
      hive.once('exit', (c) => reject(new Error(`hive gateway exited (${c})`)));
    });
    const hiveUrl = `http://127.0.0.1:${hivePort}/graphql`;
    const hiveCheck = await fetch(hiveUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: DASHBOARD }) }).then((r) => r.json());
    if (hiveCheck.errors?.length) throw new Error(`the dashboard query fails through Hive Gateway: ${JSON.stringify(hiveCheck.errors)}`);

    const runs = { gateway: [], hive: [], direct: {} };
    // CPU ms per request of the gateway under test and of the four subgraphs together: figures
    // that hold however busy the machine is, unlike requests/s.
    const subgraphPids = Object.fromEntries(SUBGRAPHS.map((s) => [s, ctx.run.system.pidOf(s)]));
    const measured = async (gatewayPid, load) => {
      const { result, cpuMs } = await withCpu({ gateway: gatewayPid, ...subgraphPids }, load, { idleMs: quick ? 200 : 2000 });
      const requests = Math.max(result.requests, 1);
      return { ...result, gatewayCpuMsPerRequest: cpuMs.gateway / requests, subgraphsCpuMsPerRequest: SUBGRAPHS.reduce((a, s) => a + cpuMs[s], 0) / requests };
    };
    try {
      for (let i = 0; i < repeats; i++) {
        runs.gateway.push(await measured(ctx.run.system.pidOf('gateway'), () => runLoad({ url: ctx.run.system.gatewayUrl, body: { query: DASHBOARD }, headers: { authorization: `Bearer ${t.adminToken}` }, connections, durationSeconds })));
        for (const d of directRequests(t.tenantId)) {
          const token = await signer.sign(caller, d.service);
          (runs.direct[d.service] ??= []).push(await runLoad({ url: `${ctx.run.system.urlOf(d.service)}/graphql`, body: d.body, headers: { authorization: `Bearer ${token}` }, connections, durationSeconds }));
        }
        runs.hive.push(await measured(hive.pid, () => runLoad({ url: hiveUrl, body: { query: DASHBOARD }, connections, durationSeconds })));
      }
    } finally {
      hive.kill('SIGTERM');
    }
    const summarize = (list) => ({
      rps: median(list.map((r) => r.rps)),
      p50: median(list.map((r) => r.p50)),
      p99: median(list.map((r) => r.p99)),
      errors: list.reduce((a, r) => a + r.errors, 0),
      ...(list[0].gatewayCpuMsPerRequest !== undefined
        ? { gatewayCpuMsPerRequest: round(median(list.map((r) => r.gatewayCpuMsPerRequest))), subgraphsCpuMsPerRequest: round(median(list.map((r) => r.subgraphsCpuMsPerRequest))) }
        : {}),
    });
    const gateway = summarize(runs.gateway);
    const hiveFig = summarize(runs.hive);
    const direct = Object.fromEntries(Object.entries(runs.direct).map(([k, v]) => [k, summarize(v)]));
    // The direct baseline: the slowest of the three subgraph calls the plan makes (they run in parallel).
    const baseline = { rps: Math.min(...Object.values(direct).map((d) => d.rps)), p50: Math.max(...Object.values(direct).map((d) => d.p50)), p99: Math.max(...Object.values(direct).map((d) => d.p99)) };
    const rows = [
      { target: 'this gateway', ...gateway },
      { target: 'Hive Gateway', ...hiveFig },
      ...Object.entries(direct).map(([k, v]) => ({ target: `direct: ${k}`, ...v })),
    ].map((r) => ({ scenario: 'gateway-overhead', connections, durationSeconds, repeats, ...r }));
    return {
      rows,
      ratios: {
        throughputVsHive: round(gateway.rps / hiveFig.rps),
        p99VsDirect: round(gateway.p99 / Math.max(baseline.p99, 1)),
        gatewayCpuPerRequestVsHive: round(gateway.gatewayCpuMsPerRequest / Math.max(hiveFig.gatewayCpuMsPerRequest, 0.001)),
      },
      targets: {
        'throughput at least Hive Gateway': gateway.rps >= hiveFig.rps,
        'p99 within 2x the direct baseline': gateway.p99 <= 2 * Math.max(baseline.p99, 1),
      },
    };
  },
};

function rewriteUrls(sdl, system) {
  const map = { TENANT: 'tenant-service', RBAC: 'rbac-service', SESSION: 'session-service', REPORTING: 'reporting-service' };
  return sdl.replace(/@join__graph\(name: "(\w+)", url: "[^"]+"\)/g, (_m, name) => `@join__graph(name: "${name}", url: "${system.urlOf(map[name.toUpperCase()])}/graphql")`);
}

const round = (n) => Math.round(n * 100) / 100;
const SUBGRAPHS = ['tenant-service', 'rbac-service', 'session-service', 'reporting-service'];
