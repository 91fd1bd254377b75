// Stops what the global setup started and removes its databases, topics and data folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { ROOT } from '../../../scripts/lib/bootstrap.mjs';

const require = createRequire(import.meta.url);

export default async function globalTeardown() {
  const e2e = globalThis.__RH_E2E__;
  if (!e2e) return;
  await e2e.system.stop();
  const { Client } = require('pg');
  const pg = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await pg.connect();
  for (const url of Object.values(e2e.databases)) {
    const name = new URL(url).pathname.slice(1);
    await pg.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
  await pg.end();
  const { Kafka, logLevel } = require('kafkajs');
  const admin = new Kafka({ brokers: e2e.kafka.brokers.split(','), clientId: 'e2e-teardown', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(e2e.topicPrefix));
  if (topics.length) await admin.deleteTopics({ topics });
  const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(e2e.topicPrefix));
  if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
  await admin.disconnect();
  await e2e.kafka.stop();
  if (!process.env.RH_KEEP_E2E_DATA) fs.rmSync(e2e.dataDir, { recursive: true, force: true });
  else process.stderr.write(`e2e data and logs kept in ${path.relative(ROOT, e2e.dataDir)}\n`);
}
