// scripts/kafka.mjs formats a fresh broker's KRaft storage with a random cluster id. About one
// id in 64 begins with '-', which Kafka's argument parser once read as an option, so that a
// fresh broker failed to start at random. These ids are injected, so the test is deterministic.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const KAFKA_SCRIPT = path.join(__dirname, 'kafka.mjs');

/** Runs formatKafkaStorage in a child process (the script is an ES module of its own). */
function format(dataDir: string, clusterId: string): { status: number | null; out: string } {
  const code = `
    const { formatKafkaStorage } = await import(${JSON.stringify(KAFKA_SCRIPT)});
    const r = await formatKafkaStorage({ port: 39192, dataDir: process.argv[1], clusterId: process.argv[2], log: false });
    process.stdout.write(r.metaProperties ?? '');
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code, dataDir, clusterId], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('KRaft storage format', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it.each(['-Ab3kZ9xQ_Tq1c2d3e4f5g', '--b3kZ9xQ_Tq1c2d3e4f5g', '_Ab3kZ9xQ-Tq1c2d3e4f5g', 'Ab3kZ9xQ-Tq1c2d3e4f5-g'])('accepts the cluster id %s', (clusterId) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), '-rh-kraft-'));
    dirs.push(dir);
    const r = format(dir, clusterId);
    expect(r.status).toBe(0);
    expect(r.out).toContain(`cluster.id=${clusterId}\n`);
    expect(fs.readFileSync(path.join(dir, 'kraft', 'meta.properties'), 'utf8')).toContain(`cluster.id=${clusterId}\n`);
  });
});
