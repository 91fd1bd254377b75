/**
 * Helpers for integration tests that need the real broker (and a free port for a process they
 * start). Not exported from the package root; tests import `@remote-help/events/testing`.
 */
import { execFileSync } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { EVENTS_ENTITIES } from '../entities';
import { EVENTS_MIGRATIONS } from '../events.migration';
import { createKafka } from '../kafka-client';
import type { EventsLogger } from '../logger';

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

const handedOut = new Set<number>();

/**
 * A port free on 127.0.0.1 now, for a process started a little later: drawn below Linux's
 * ephemeral range, where outgoing connections take their local ports (as
 * scripts/lib/isolated-system.mjs's freePort does), and never the same twice in one process.
 */
export async function freePort(): Promise<number> {
  const canListen = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
}

/** Kafka request API keys that a test may want to refuse (see startBrokerProxy's refuse()). */
export const KAFKA_API = { findCoordinator: 10 } as const;

export interface BrokerProxy {
  port(): number;
  /** A kafkajs client whose every broker connection goes through this proxy (the broker advertises its own port). */
  kafka(clientId: string): Kafka;
  /** Closes the listening socket and every open connection: the broker becomes unreachable. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  /**
   * From now on, a connection on which the client sends a request with one of these API keys is
   * closed before the request reaches the broker (others pass); with no keys, everything passes.
   * Open connections are closed too, so that the client connects again.
   */
  refuse(...apiKeys: number[]): void;
  /** How many connections were closed for a refused request so far. */
  refusals(): number;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of the broker, to make a broker outage happen on cue: cut()
 * makes the broker unreachable, refuse() lets connections in but closes any that asks for a given
 * request (e.g. FindCoordinator, which after an outage makes kafkajs crash with an error it does
 * not restart a consumer from). It reads the client's request frames (a 4-byte size, then the
 * 2-byte API key) as they pass.
 */
export async function startBrokerProxy(upstream: string): Promise<BrokerProxy> {
  const [host, upstreamPort] = upstream.split(':');
  const open = new Set<net.Socket>();
  let refused = new Set<number>();
  let refusals = 0;
  let server: net.Server | undefined;
  let port = 0;
  const destroyAll = () => {
    for (const sock of open) sock.destroy();
    open.clear();
  };
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        const up = net.connect({ host, port: Number(upstreamPort) });
        const kill = () => {
          client.destroy();
          up.destroy();
          open.delete(client);
          open.delete(up);
        };
        open.add(client).add(up);
        client.on('error', kill).on('close', kill);
        up.on('error', kill).on('close', kill);
        let header = Buffer.alloc(0);
        let remaining = 0;
        client.on('data', (chunk: Buffer) => {
          for (let off = 0; off < chunk.length;) {
            if (remaining > 0) {
              const n = Math.min(remaining, chunk.length - off);
              remaining -= n;
              off += n;
              continue;
            }
            const take = chunk.subarray(off, off + 6 - header.length);
            header = Buffer.concat([header, take]);
            off += take.length;
            if (header.length < 6) break;
            if (refused.has(header.readInt16BE(4))) {
              refusals += 1;
              return kill();
            }
            remaining = header.readInt32BE(0) - 2;
            header = Buffer.alloc(0);
          }
          up.write(chunk);
        });
        up.pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as net.AddressInfo).port;
        server = s;
        resolve();
      });
    });
  const cut = async () => {
    const s = server;
    server = undefined;
    const closed = s ? new Promise<void>((r) => s.close(() => r())) : Promise.resolve();
    destroyAll();
    await closed;
  };
  await listen();
  return {
    port: () => port,
    kafka: (clientId) =>
      createKafka({
        brokers: [`127.0.0.1:${port}`],
        clientId,
        logLevel: 'error',
        socketFactory: ({ onConnect }) => {
          const socket = net.connect({ host: '127.0.0.1', port }, onConnect);
          socket.setKeepAlive(true, 30_000);
          return socket;
        },
      }),
    cut,
    restore: listen,
    refuse: (...apiKeys) => {
      refused = new Set(apiKeys);
      destroyAll();
    },
    refusals: () => refusals,
    close: cut,
  };
}

/** Polls `fn` until it returns something other than undefined or false (that value), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A logger that records every line (and prints them to stderr when RH_DEBUG_LOG is set). */
export function memoryLogger() {
  const entries: { level: string; o: Record<string, unknown>; msg?: string }[] = [];
  const at = (level: string) => (o: object, msg?: string) => {
    entries.push({ level, o: o as Record<string, unknown>, msg });
    if (process.env.RH_DEBUG_LOG) process.stderr.write(`${new Date().toISOString()} ${level} ${msg ?? ''} ${JSON.stringify(o).slice(0, 300)}\n`);
  };
  const logger: EventsLogger = { info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, entries };
}

const LOCAL_PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };

/** A new database on the local PostgreSQL with the events tables (outbox, processed events), and a way to drop it again. */
export async function eventsTestDatabase(name: string): Promise<{ dataSource: DataSource; drop: () => Promise<void> }> {
  const admin = new Client({ ...LOCAL_PG, database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const dataSource = new DataSource({
    type: 'postgres',
    host: LOCAL_PG.host,
    port: LOCAL_PG.port,
    username: LOCAL_PG.user,
    database: name,
    entities: EVENTS_ENTITIES,
    migrations: EVENTS_MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    logging: false,
  });
  await dataSource.initialize();
  const drop = async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    const a = new Client({ ...LOCAL_PG, database: 'postgres' });
    await a.connect();
    await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await a.end();
  };
  return { dataSource, drop };
}
