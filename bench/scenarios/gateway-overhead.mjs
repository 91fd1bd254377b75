// Scenario 1: one dashboard query spanning three subgraphs (tenant settings, roles, active
// count) through this gateway, against the same subgraphs directly, and through Hive Gateway
// over the same supergraph. The targets are judged with distinct callers: many report readers
// across several tenants (bench/lib/report-readers.mjs), each request the next caller's, so that
// neither gateway's sharing of identical subgraph fetches in flight nor its per-caller caches
// can answer many requests with one fetch, and the direct baseline is loaded with the same
// callers. Beside them, labelled, the figure with the byte-identical query and one token
// (the tenant administrator's) on every connection, which that sharing flatters. Each figure is
// the median of the repeats; ratios are taken from figures measured in the same run.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { ROOT } from '../../scripts/lib/bootstrap.mjs';
import { freePort } from '../../scripts/lib/isolated-system.mjs';
import { median, runLoad, writeVariants } from '../lib/load.mjs';
import { withCpu } from '../lib/process-stats.mjs';
import { readersAcrossTenants } from '../lib/report-readers.mjs';

const require = createRequire(import.meta.url);

export const DASHBOARD = `query Dashboard {
  tenant {
    id
    remoteHelpSettings { remoteHelpEnabled allowUnenrolledDevices chatDisabled }
    roles { id displayName builtIn }
    activeSessionCount
  }
}`;

/** The same data asked of each subgraph directly for a caller of `tenantId`, as the gateway's query plan does. */
function directRequests(tenantId) {
  const entities = (fields) => ({
    query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Tenant { ${fields} } } }`,
    variables: { r: [{ __typename: 'Tenant', id: tenantId }] },
  });
  return {
    'tenant-service': { query: '{ tenant { id remoteHelpSettings { remoteHelpEnabled allowUnenrolledDevices chatDisabled } } }' },
    'rbac-service': entities('roles { id displayName builtIn }'),
    'reporting-service': entities('activeSessionCount'),
  };
}
const DIRECT_SERVICES = ['tenant-service', 'rbac-service', 'reporting-service'];

export default {
  name: 'gateway-overhead',
  description: 'dashboard query over three subgraphs, distinct callers in several tenants (and, labelled, one identical query): this gateway vs the subgraphs directly vs Hive Gateway',
  async run(ctx) {
    const { quick } = ctx;
    const connections = quick ? 2 : 50;
    const durationSeconds = quick ? 1 : 20;
    const repeats = quick ? 1 : Number(process.env.RH_BENCH_REPEATS ?? 3);
    // Distinct callers: report readers (READ_REPORTS, which activeSessionCount needs) in several tenants.
    const tenantCount = quick ? 2 : 4;
    const perTenant = quick ? 2 : 250;
    const { tenants, readers } = await readersAcrossTenants(ctx, tenantCount, perTenant);
    const t = tenants[0];
    const auth = require(path.join(ROOT, 'libs/auth/dist/index.js'));
    const keysDir = path.join(ctx.run.dataDir, 'keys');
    const signer = auth.createInternalTokenSigner(fs.readFileSync(path.join(keysDir, 'internal.private.pem'), 'utf8'));
    const callerOf = (r) => ({ kind: 'user', tenantId: r.tenantId, userId: r.userId, upn: r.upn });
    const admin = { kind: 'user', tenantId: t.tenantId, userId: t.adminUserId, upn: t.adminUpn };
    const check = await ctx.gql(DASHBOARD, {}, t.adminToken);
    if (check.errors?.length) throw new Error(`the dashboard query fails: ${JSON.stringify(check.errors)}`);
    // Each answer must be the caller's own dashboard (its tenant's id), not one fetched for another caller.
    const gatewayVariants = writeVariants(
      path.join(ctx.run.dataDir, 'gateway-overhead-callers.json'),
      readers.map((r) => ({ body: { query: DASHBOARD }, token: r.token, expect: `"id":"${r.tenantId}"` })),
    );

    const hivePort = await freePort();
    const supergraphSdl = rewriteUrls(fs.readFileSync(path.join(ROOT, 'apps/gateway/supergraph.graphql'), 'utf8'), ctx.run.system);
    // Hive Gateway does not verify client tokens: it is told which caller each token names, and
    // signs each caller's internal tokens as our gateway does.
    const callersFile = path.join(ctx.run.dataDir, 'gateway-overhead-hive-callers.json');
    fs.writeFileSync(callersFile, JSON.stringify(Object.fromEntries(readers.map((r) => [`Bearer ${r.token}`, callerOf(r)]))));
    const hive = spawn(
      process.execPath,
      [
        path.join(ROOT, 'bench/peers/hive-gateway.mjs'),
        JSON.stringify({
          port: hivePort,
          supergraphSdl,
          subgraphs: SUBGRAPHS.map((s) => ({ url: `${ctx.run.system.urlOf(s)}/graphql`, audience: s })),
          privateKeyFile: path.join(keysDir, 'internal.private.pem'),
          caller: admin,
          callersFile,
        }),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise((resolve, reject) => {
      hive.stdout.on('data', (d) => String(d).includes('ready') && resolve());
      hive.once('exit', (c) => reject(new Error(`hive gateway exited (${c})`)));
    });
    const hiveUrl = `http://127.0.0.1:${hivePort}/graphql`;
    for (const authorization of [undefined, `Bearer ${readers.at(-1).token}`]) {
      const hiveCheck = await fetch(hiveUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: JSON.stringify({ query: DASHBOARD }) }).then((r) =>
        r.json(),
      );
      if (hiveCheck.errors?.length) throw new Error(`the dashboard query fails through Hive Gateway: ${JSON.stringify(hiveCheck.errors)}`);
      if (authorization && hiveCheck.data?.tenant?.id !== readers.at(-1).tenantId) throw new Error(`Hive Gateway answered for tenant ${hiveCheck.data?.tenant?.id}, not the caller's ${readers.at(-1).tenantId}`);
    }

    const runs = { gateway: [], hive: [], direct: {}, gatewayIdentical: [], hiveIdentical: [] };
    // CPU ms per request of the gateway under test and of the four subgraphs together: figures
    // that hold however busy the machine is, unlike requests/s.
    const subgraphPids = Object.fromEntries(SUBGRAPHS.map((s) => [s, ctx.run.system.pidOf(s)]));
    // GraphQL operations the subgraphs served per request (their own metrics): what the fetches of
    // the query plan cost them, less what a gateway shared among requests.
    const subgraphOperations = async () => {
      let n = 0;
      for (const s of SUBGRAPHS) n += graphqlOperationsServed(await fetch(ctx.run.system.metricsUrlOf(s)).then((r) => r.text()));
      return n;
    };
    const measured = async (gatewayPid, load) => {
      const before = await subgraphOperations();
      const { result, cpuMs } = await withCpu({ gateway: gatewayPid, ...subgraphPids }, load, { idleMs: quick ? 200 : 2000 });
      const requests = Math.max(result.requests, 1);
      return {
        ...result,
        gatewayCpuMsPerRequest: cpuMs.gateway / requests,
        subgraphsCpuMsPerRequest: SUBGRAPHS.reduce((a, s) => a + cpuMs[s], 0) / requests,
        subgraphOperationsPerRequest: ((await subgraphOperations()) - before) / requests,
      };
    };
    const gatewayPid = ctx.run.system.pidOf('gateway');
    try {
      for (let i = 0; i < repeats; i++) {
        // Distinct callers (the targets).
        runs.gateway.push(await measured(gatewayPid, () => runLoad({ url: ctx.run.system.gatewayUrl, variantsFile: gatewayVariants, connections, durationSeconds })));
        for (const service of DIRECT_SERVICES) {
          // Internal tokens live 60 s: signed for each caller just before each run, as the gateway signs its own.
          const variants = await Promise.all(readers.map(async (r) => ({ body: directRequests(r.tenantId)[service], token: await signer.sign(callerOf(r), service) })));
          const variantsFile = writeVariants(path.join(ctx.run.dataDir, `gateway-overhead-direct-${service}.json`), variants);
          (runs.direct[service] ??= []).push(await runLoad({ url: `${ctx.run.system.urlOf(service)}/graphql`, variantsFile, connections, durationSeconds }));
        }
        runs.hive.push(await measured(hive.pid, () => runLoad({ url: hiveUrl, variantsFile: gatewayVariants, connections, durationSeconds })));
        // One caller, the byte-identical query on every connection (reported, not judged).
        runs.gatewayIdentical.push(
          await measured(gatewayPid, () => runLoad({ url: ctx.run.system.gatewayUrl, body: { query: DASHBOARD }, headers: { authorization: `Bearer ${t.adminToken}` }, connections, durationSeconds })),
        );
        runs.hiveIdentical.push(await measured(hive.pid, () => runLoad({ url: hiveUrl, body: { query: DASHBOARD }, connections, durationSeconds })));
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
        ? {
            gatewayCpuMsPerRequest: round(median(list.map((r) => r.gatewayCpuMsPerRequest))),
            subgraphsCpuMsPerRequest: round(median(list.map((r) => r.subgraphsCpuMsPerRequest))),
            subgraphOperationsPerRequest: round(median(list.map((r) => r.subgraphOperationsPerRequest))),
          }
        : {}),
    });
    const failed = Object.entries({ ...runs, ...runs.direct })
      .filter(([k]) => k !== 'direct')
      .flatMap(([k, list]) => list.filter((r) => r.errors).map((r) => `${k}: ${r.errors} errors (${r.timeouts} timeouts, ${r.non2xx} non-2xx answers), e.g. ${r.firstError}`));
    if (failed.length) throw new Error(`failed requests under load: ${failed.join('; ')}`);
    const gateway = summarize(runs.gateway);
    const hiveFig = summarize(runs.hive);
    const gatewayIdentical = summarize(runs.gatewayIdentical);
    const hiveIdentical = summarize(runs.hiveIdentical);
    const direct = Object.fromEntries(Object.entries(runs.direct).map(([k, v]) => [k, summarize(v)]));
    // The direct baseline: the slowest of the three subgraph calls the plan makes (they run in parallel).
    const baseline = { rps: Math.min(...Object.values(direct).map((d) => d.rps)), p50: Math.max(...Object.values(direct).map((d) => d.p50)), p99: Math.max(...Object.values(direct).map((d) => d.p99)) };
    const distinct = { load: 'distinct callers', callers: readers.length, tenants: tenantCount };
    const identical = { load: 'identical query, one caller', callers: 1, tenants: 1 };
    const rows = [
      { target: 'this gateway', ...distinct, ...gateway },
      { target: 'Hive Gateway', ...distinct, ...hiveFig },
      ...Object.entries(direct).map(([k, v]) => ({ target: `direct: ${k}`, ...distinct, ...v })),
      { target: 'this gateway', ...identical, ...gatewayIdentical },
      { target: 'Hive Gateway', ...identical, ...hiveIdentical },
    ]
      // How many requests a second each caller made: what a per-caller cache (admin permissions for
      // 1 s, say) could answer with one fetch.
      .map((r) => ({ scenario: 'gateway-overhead', connections, durationSeconds, repeats, ...r, rpsPerCaller: round(r.rps / r.callers) }));
    return {
      rows,
      ratios: {
        throughputVsHive: round(gateway.rps / hiveFig.rps),
        p99VsDirect: round(gateway.p99 / Math.max(baseline.p99, 1)),
        gatewayCpuPerRequestVsHive: round(gateway.gatewayCpuMsPerRequest / Math.max(hiveFig.gatewayCpuMsPerRequest, 0.001)),
        identicalQuery_throughputVsHive: round(gatewayIdentical.rps / hiveIdentical.rps),
        identicalQuery_p99VsDirect: round(gatewayIdentical.p99 / Math.max(baseline.p99, 1)),
        distinctVsIdentical_throughput: round(gateway.rps / gatewayIdentical.rps),
      },
      targets: {
        [`throughput at least Hive Gateway's, ${readers.length} distinct callers in ${tenantCount} tenants`]: gateway.rps >= hiveFig.rps,
        [`p99 within 2x the direct baseline, ${readers.length} distinct callers in ${tenantCount} tenants`]: gateway.p99 <= 2 * Math.max(baseline.p99, 1),
      },
    };
  },
};

function rewriteUrls(sdl, system) {
  const map = { TENANT: 'tenant-service', RBAC: 'rbac-service', SESSION: 'session-service', REPORTING: 'reporting-service' };
  return sdl.replace(/@join__graph\(name: "(\w+)", url: "[^"]+"\)/g, (_m, name) => `@join__graph(name: "${name}", url: "${system.urlOf(map[name.toUpperCase()])}/graphql")`);
}

const round = (n) => Math.round(n * 100) / 100;

/** GraphQL operations a service has served so far: the sum of its `remote_help_graphql_request_duration_seconds_count` series. */
function graphqlOperationsServed(metricsText) {
  let n = 0;
  for (const line of metricsText.split('\n')) if (line.startsWith('remote_help_graphql_request_duration_seconds_count')) n += Number(line.slice(line.lastIndexOf(' ') + 1));
  return n;
}
const SUBGRAPHS = ['tenant-service', 'rbac-service', 'session-service', 'reporting-service'];
