import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { EventsLogger } from './logger';
import { serializeError } from './logger';
import { pgClientConfigFrom } from './pg-client-config';
import { PgListener } from './pg-listener';

/**
 * PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more; a part carries its header
 * (message id, index, count) and at most this many bytes of the message.
 */
export const NOTIFY_PART_BYTES = 7_000;

/** A message's JSON cut into NOTIFY payloads `<id> <index> <count> <chunk>`, each under PostgreSQL's limit, never inside a character. */
export function toNotifyParts(json: string, id: string = randomUUID(), maxBytes = NOTIFY_PART_BYTES): string[] {
  const chunks: string[] = [];
  let chunk = '';
  let bytes = 0;
  for (const ch of json) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > maxBytes && chunk) {
      chunks.push(chunk);
      chunk = '';
      bytes = 0;
    }
    chunk += ch;
    bytes += n;
  }
  chunks.push(chunk);
  return chunks.map((c, i) => `${id} ${i} ${chunks.length} ${c}`);
}

/**
 * Puts the parts of each message back together (they may arrive in any order, and the parts of
 * several messages interleaved). A message whose parts do not all arrive within `maxAgeMs` is
 * dropped.
 */
export class NotifyPartsAssembler {
  private readonly partial = new Map<string, { parts: (string | undefined)[]; missing: number; at: number }>();

  constructor(private readonly maxAgeMs = 30_000) {}

  /** The whole JSON once its last part is in, else undefined. Throws on a payload that is not a part. */
  add(payload: string, now = Date.now()): string | undefined {
    const m = /^(\S+) (\d+) (\d+) /.exec(payload);
    if (!m) throw new Error('not a NOTIFY part');
    const [header, id, i, n] = m;
    const index = Number(i);
    const count = Number(n);
    if (!(count >= 1 && index < count)) throw new Error('not a NOTIFY part');
    const chunk = payload.slice(header.length);
    if (count === 1) return chunk;
    for (const [key, p] of this.partial) if (now - p.at > this.maxAgeMs) this.partial.delete(key);
    let entry = this.partial.get(id);
    if (!entry) this.partial.set(id, (entry = { parts: new Array<string | undefined>(count), missing: count, at: now }));
    if (entry.parts[index] === undefined) {
      entry.parts[index] = chunk;
      entry.missing -= 1;
    }
    if (entry.missing > 0) return undefined;
    this.partial.delete(id);
    return entry.parts.join('');
  }
}

export interface PgBroadcastOptions<T> {
  dataSource: DataSource;
  /** The NOTIFY channel (an SQL identifier). */
  channel: string;
  /** Every message published by any instance on this channel, this one's included. */
  onMessage: (message: T) => void;
  log: EventsLogger;
}

/**
 * Messages to every instance of a service through PostgreSQL NOTIFY, and nothing stored: each
 * instance LISTENs on a connection of its own (PgListener, which comes back after a lost
 * connection) and hands every message to `onMessage`. A message of any size is sent as several
 * notifications in one transaction (toNotifyParts) and put back together on arrival. Delivery is
 * live only: an instance whose LISTEN connection is down misses what is sent meanwhile.
 */
export class PgBroadcast<T> {
  private readonly listener: PgListener;
  private readonly assembler = new NotifyPartsAssembler();

  constructor(private readonly opts: PgBroadcastOptions<T>) {
    if (!/^[a-z_][a-z0-9_]*$/.test(opts.channel)) throw new TypeError(`PgBroadcast: channel must be a lower-case SQL identifier, got "${opts.channel}"`);
    this.listener = new PgListener({
      config: pgClientConfigFrom(opts.dataSource, `remote-help-${opts.channel}`),
      channel: opts.channel,
      onNotification: (payload) => this.receive(payload),
      onUp: () => undefined,
      onDown: (err, phase) => opts.log.warn({ err: serializeError(err), channel: opts.channel, phase }, 'broadcast: LISTEN connection down; messages from other instances are missed until it is back'),
    });
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  stop(): Promise<void> {
    return this.listener.stop();
  }

  /** Sends the message to every listening instance (this one too): its parts go in one transaction, so they arrive together and in order. */
  async publish(message: T): Promise<void> {
    const parts = toNotifyParts(JSON.stringify(message));
    await this.opts.dataSource.query('SELECT pg_notify($1, part) FROM unnest($2::text[]) WITH ORDINALITY AS p(part, n) ORDER BY n', [this.opts.channel, parts]);
  }

  private receive(payload: string): void {
    let json: string | undefined;
    try {
      json = this.assembler.add(payload);
      if (json !== undefined) this.opts.onMessage(JSON.parse(json) as T);
    } catch (err) {
      this.opts.log.warn({ err: serializeError(err), channel: this.opts.channel }, 'broadcast: unreadable notification skipped');
    }
  }
}
