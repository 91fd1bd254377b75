// The whole system started for a test or benchmark run, isolated from `npm start` and from other
// runs: its own databases (`rh_<label>_<run>_<service>`), free ports, topic prefix and data folder
// (keys, logs). `cleanup()` stops it and removes all of that.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as path from 'node:path';
import { ensureKafka, startKafka, stopKafka } from '../kafka.mjs';
import { ROOT } from './bootstrap.mjs';
import { localDatabaseUrl } from './local-postgres.mjs';
import { postgresServerUrl } from './postgres-server.mjs';
import { GATEWAY, SUBGRAPH_SERVICES } from './services.mjs';
import { startSystem } from './system.mjs';

const require = createRequire(import.meta.url);

/** Ports this process has handed out already: never twice. */
const handedOut = new Set();

function canListen(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A port free on 127.0.0.1 now, for a process started a little later. Drawn below Linux's
 * ephemeral range (32768 and up), where the kernel takes the local ports of outgoing
 * connections: a port from there (what listen(0) gives) can be taken by any client's connection
 * between the draw and the process's own listen, and a run hands out a dozen ports.
 */
export async function freePort() {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
}

/** A free port whose next port is free too (a broker's controller listens on port + 1). */
async function freePortPair() {
  for (;;) {
    const port = await freePort();
    if (!handedOut.has(port + 1) && (await canListen(port + 1))) {
      handedOut.add(port + 1);
      return port;
    }
  }
}

/**
 * A broker of the run's own, on free ports with its data in the run's folder, that the run may
 * stop and start again (a broker outage on cue): { brokers, stop, pause(), resume() }.
 */
async function ownKafka(dataDir) {
  const opts = { port: await freePortPair(), dataDir: path.join(dataDir, 'kafka'), log: false };
  const started = await startKafka(opts);
  return {
    brokers: started.brokers,
    pause: () => stopKafka(opts),
    resume: () => startKafka(opts),
    stop: () => stopKafka(opts),
  };
}

/**
 * Starts the system for a run. `ownKafka`: the run gets a broker of its own (see ownKafka above)
 * instead of the shared one (`KAFKA_BROKERS`, or 127.0.0.1:9092, started when nothing answers).
 */
export async function startIsolatedSystem({ label, env = {}, envFor = {}, keep = false, ownKafka: own = false }) {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const dataDir = path.join(ROOT, '.data', `${label}-${runId}`);
  const topicPrefix = `${label}-${runId}.`;
  const kafka = own ? await ownKafka(dataDir) : await ensureKafka({ log: false });
  const databases = Object.fromEntries(await Promise.all(SUBGRAPH_SERVICES.map(async (s) => [s.name, await localDatabaseUrl(`rh_${label}_${runId}_${s.name.replace('-service', '')}`)])));
  const ports = {};
  const metricsPorts = {};
  for (const name of [GATEWAY.name, ...SUBGRAPH_SERVICES.map((s) => s.name)]) {
    ports[name] = await freePort();
    metricsPorts[name] = await freePort();
  }
  let system;
  const cleanup = async () => {
    await system?.stop();
    const { Client } = require('pg');
    const pg = new Client({ connectionString: `${postgresServerUrl()}/postgres` });
    await pg.connect();
    for (const url of Object.values(databases)) await pg.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
    await pg.end();
    // A broker of the run's own goes with its data folder; on the shared one, the run's topics and groups are removed.
    if (!own) {
      const { Kafka, logLevel } = require('kafkajs');
      const admin = new Kafka({ brokers: kafka.brokers.split(','), clientId: `${label}-cleanup`, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(topicPrefix));
      if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(topicPrefix));
      if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
      await admin.disconnect();
    }
    await kafka.stop();
    if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    system = await startSystem({
      dataDir,
      kafkaBrokers: kafka.brokers,
      topicPrefix,
      databaseUrl: (s) => databases[s.name],
      ports,
      metricsPorts,
      logDir: path.join(dataDir, 'logs'),
      env: { LOG_LEVEL: 'info', OUTBOX_POLL_INTERVAL_MS: '200', ...env },
      envFor,
    });
  } catch (e) {
    await cleanup().catch(() => undefined);
    throw e;
  }
  return { system, kafka, databases, dataDir, topicPrefix, cleanup };
}

/** Environment for the project CLI (`rh`) pointed at an isolated system's databases and keys. */
export function cliEnv(run) {
  return { ...process.env, RH_DATA_DIR: run.dataDir, RH_TENANT_DATABASE_URL: run.databases['tenant-service'], RH_RBAC_DATABASE_URL: run.databases['rbac-service'] };
}
