/**
 * Helpers for integration tests that need the real broker (and a free port for a process they
 * start). Not exported from the package root; tests import `@remote-help/events/testing`.
 */
import { execFileSync } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/**
 * The brokers to test against: `KAFKA_BROKERS` (what `npm test` sets), else a broker already on
 * 127.0.0.1:9092, else one started with the project's script — and stopped again by `stop()`.
 */
export async function kafkaForTests(): Promise<{ brokers: string[]; stop: () => void }> {
  if (process.env.KAFKA_BROKERS) return { brokers: process.env.KAFKA_BROKERS.split(',').map((b) => b.trim()), stop: () => undefined };
  if (await reachable('127.0.0.1', 9092)) return { brokers: ['127.0.0.1:9092'], stop: () => undefined };
  const script = path.join(ROOT, 'scripts', 'kafka.mjs');
  const out = execFileSync(process.execPath, [script, 'start'], { encoding: 'utf8', timeout: 180_000, stdio: ['ignore', 'pipe', 'inherit'] });
  const startedHere = out.includes('kafka ready');
  return {
    brokers: ['127.0.0.1:9092'],
    stop: () => {
      if (startedHere) execFileSync(process.execPath, [script, 'stop'], { stdio: 'inherit', timeout: 60_000 });
    },
  };
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.setTimeout(1000);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
}

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
