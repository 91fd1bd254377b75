import { Client, type ClientConfig } from 'pg';
import type { Span } from '@opentelemetry/api';
import { Partitioners, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { EventEnvelope } from './event-envelope';
import { defaultEventsLogger, serializeError, type EventsLogger } from './logger';
import { pgClientConfigFrom } from './pg-client-config';
import { PgListener, reconnectBackoff } from './pg-listener';
import { topicName } from './topics';
import { endSpans, startPublishSpan } from './trace-context';
import { OUTBOX_CHANNEL } from './write-to-outbox';

export interface OutboxRelayOptions {
  dataSource: DataSource;
  kafka: Kafka;
  /** Deployment prefix of the topic names ('' in production, e.g. 'it-x1y2.' in tests). */
  topicPrefix: string;
  /** Poll interval when no notification arrives (default 500 ms). */
  pollIntervalMs?: number;
  /** Rows per batch (default 200). */
  batchSize?: number;
  /**
   * While events keep coming (more were committed while a batch was being published), how long
   * the relay waits before the next batch, so that batches grow instead of multiplying (default
   * 10 ms; 0: at once). An event after a quiet time is published at once.
   */
  lingerMs?: number;
  /**
   * After this many rows published (and deleted) since the last time, the relay runs
   * `VACUUM (SKIP_LOCKED) outbox` on its connection (default 1000; 0: never, leave it to
   * autovacuum). Deleted rows stay in the unsent-rows index until a vacuum, and the relay's scan
   * walks them all; where autovacuum is off or slow, that scan would grow with every event.
   */
  vacuumEveryRows?: number;
  logger?: EventsLogger;
}

/** The advisory lock that lets one relay at a time publish a database's outbox (the same key in every database). */
export const RELAY_LOCK_KEY = '7311586470221004931';
const MAX_ERROR_TEXT = 2000;

interface OutboxRow {
  id: string;
  event_id: string;
  topic: string;
  key: string;
  payload: EventEnvelope;
  trace_context: Record<string, string> | null;
}

const noop = () => undefined;

function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text;
}

/**
 * Publishes the outbox to Kafka: unsent rows in id order, key = subject, with an idempotent
 * producer (acks = all), then deletes them in the transaction that selected them FOR UPDATE.
 *
 * - Wakes on `NOTIFY remote_help_outbox` (a dedicated pg connection) and polls as a fallback.
 * - Publishes on a second connection of its own, so that a busy service's pool never delays the
 *   events (two round trips per batch: lock and rows, then delete the sent rows and commit).
 * - One relay at a time per database (`pg_try_advisory_xact_lock`): with several instances of a
 *   service, the others skip their turn, so per-aggregate order holds.
 * - While Kafka is unreachable the rows stay, `attempts` and `last_error` are updated, and the
 *   relay retries with exponential backoff (up to 5 s). Delivery is at-least-once: if the commit
 *   that deletes a sent batch fails after Kafka acknowledged it, the batch is published again;
 *   IdempotentConsumer absorbs such duplicates.
 * - Each event is published under a span that continues the trace its row was written in
 *   (`trace_context`), with `traceparent` in the message's headers (see trace-context.ts).
 */
/** The relays running in this process, by the DataSource whose outbox they publish. */
const LOCAL_RELAYS = new WeakMap<DataSource, Set<OutboxRelay>>();

/** Whether a relay of this DataSource's outbox runs in this process (so a writer may wake it directly). */
export function hasLocalOutboxRelay(dataSource: DataSource): boolean {
  return (LOCAL_RELAYS.get(dataSource)?.size ?? 0) > 0;
}

/**
 * Wakes this process's relays of the DataSource's outbox, after a commit that added rows, in
 * place of `pg_notify` (which PostgreSQL serialises across all the commits that send one, for
 * the whole cluster). Returns false when none runs here: then the writer must notify.
 * A woken relay that finds the relay lock held elsewhere (another instance) notifies once, so
 * that the holder runs again.
 */
export function wakeLocalOutboxRelays(dataSource: DataSource): boolean {
  const relays = LOCAL_RELAYS.get(dataSource);
  if (!relays?.size) return false;
  for (const relay of relays) relay.wakeLocally();
  return true;
}

export class OutboxRelay {
  private readonly dataSource: DataSource;
  private readonly kafka: Kafka;
  private readonly topicPrefix: string;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly lingerMs: number;
  private readonly vacuumEveryRows: number;
  private deletedSinceVacuum = 0;
  private readonly log: EventsLogger;
  private readonly listenConfig: ClientConfig;

  private running = false;
  private loopDone?: Promise<void>;
  private chain: Promise<unknown> = Promise.resolve();
  private failures = 0;
  private notified = false;
  /** Woken by a writer of this process (which sent no notification) since the last batch began. */
  private wokenLocally = false;
  private sleeper?: { wake: () => void; wakeable: boolean };

  private producer?: Producer;
  private producerReady?: Promise<Producer>;

  private publisher?: Client;
  private publisherReady?: Promise<Client>;

  private readonly listener: PgListener;

  constructor(opts: OutboxRelayOptions) {
    this.dataSource = opts.dataSource;
    this.kafka = opts.kafka;
    this.topicPrefix = opts.topicPrefix;
    this.pollIntervalMs = opts.pollIntervalMs ?? 500;
    this.batchSize = opts.batchSize ?? 200;
    this.lingerMs = opts.lingerMs ?? 10;
    this.vacuumEveryRows = opts.vacuumEveryRows ?? 1000;
    this.log = opts.logger ?? defaultEventsLogger;
    if (!(Number.isInteger(this.batchSize) && this.batchSize >= 1)) throw new TypeError('OutboxRelay: batchSize must be an integer >= 1');
    if (!(this.pollIntervalMs >= 10)) throw new TypeError('OutboxRelay: pollIntervalMs must be >= 10');
    if (!(this.lingerMs >= 0)) throw new TypeError('OutboxRelay: lingerMs must be >= 0');
    if (!(Number.isInteger(this.vacuumEveryRows) && this.vacuumEveryRows >= 0)) throw new TypeError('OutboxRelay: vacuumEveryRows must be an integer >= 0');
    topicName(this.topicPrefix, 'x'); // validates the prefix
    this.listenConfig = pgClientConfigFrom(this.dataSource, 'remote-help-outbox-relay');
    this.listener = new PgListener({
      config: this.listenConfig,
      channel: OUTBOX_CHANNEL,
      onNotification: () => this.wake(),
      onUp: () => this.wake(), // catch up on anything committed while nobody listened
      onDown: (err, phase) => this.log.warn({ err: serializeError(err) }, phase === 'lost' ? 'outbox relay: LISTEN connection lost, polling until it is back' : 'outbox relay: cannot LISTEN, polling meanwhile'),
    });
  }

  /** Starts listening and the publish loop. Resolves once the loop runs (it never throws for Kafka being down). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    let relays = LOCAL_RELAYS.get(this.dataSource);
    if (!relays) LOCAL_RELAYS.set(this.dataSource, (relays = new Set()));
    relays.add(this);
    await this.listener.start();
    this.loopDone = this.loop();
  }

  /** Stops the loop, waits for a batch in flight, disconnects the producer and the pg listener. */
  async stop(): Promise<void> {
    this.running = false;
    LOCAL_RELAYS.get(this.dataSource)?.delete(this);
    this.sleeper?.wake();
    await this.loopDone?.catch(noop);
    this.loopDone = undefined;
    await this.chain.catch(noop);
    await this.listener.stop();
    if (this.publisher) this.dropPublishClient(this.publisher);
    await this.resetProducer();
  }

  /**
   * Publishes one batch now and returns how many rows were published (0 if none, or if another
   * relay holds the lock). Rejects if publishing failed (the failure is recorded on the rows).
   */
  flushOnce(): Promise<number> {
    return this.serialized(() => this.publishBatch());
  }

  // ---------------------------------------------------------------------------------------------

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.catch(noop);
    return run;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.notified = false;
      let published: number;
      try {
        published = await this.serialized(() => this.publishBatch());
        if (this.failures > 0) this.log.info({ afterFailures: this.failures }, 'outbox relay: publishing again');
        this.failures = 0;
      } catch (err) {
        this.failures += 1;
        const waitMs = reconnectBackoff(this.failures);
        this.log.warn({ err: serializeError(err), failures: this.failures, retryInMs: waitMs }, 'outbox relay: publish failed, rows kept for retry');
        if (!this.running) break;
        await this.sleep(waitMs, false);
        continue;
      }
      if (!this.running) break;
      if (published >= this.batchSize) continue;
      if (this.notified) {
        // More was committed while this batch went out (a steady stream): let the next batch
        // gather a little more, rather than publishing many small ones. An event after a quiet
        // time goes out at once (the relay sleeps, and the notification wakes it).
        if (published > 0 && this.lingerMs > 0) await this.sleep(this.lingerMs, false);
        continue;
      }
      await this.sleep(this.pollIntervalMs, true);
    }
  }

  private sleep(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.sleeper === entry) this.sleeper = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      const entry = { wake: done, wakeable };
      this.sleeper = entry;
    });
  }

  private wake(): void {
    this.notified = true;
    if (this.sleeper?.wakeable) this.sleeper.wake();
  }

  /** See wakeLocalOutboxRelays. */
  wakeLocally(): void {
    this.wokenLocally = true;
    this.wake();
  }

  /**
   * One batch on the relay's own connection (never queued behind the service's pool), in two
   * round trips when there is something to publish: `BEGIN` with the lock and the rows (FOR
   * UPDATE, only once the lock is held), then the rows deleted with the `COMMIT`. Both are
   * simple-protocol multi-statement queries (their values are constants and the rows' own ids).
   */
  private async publishBatch(): Promise<number> {
    const client = await this.publishClient();
    const wokenLocally = this.wokenLocally;
    this.wokenLocally = false;
    let open = false;
    try {
      open = true;
      const [, lock, selected] = (await client.query(`BEGIN; SELECT pg_try_advisory_xact_lock(${RELAY_LOCK_KEY}::bigint) AS got; ${this.selectSql}`)) as unknown as [
        unknown,
        { rows: { got: boolean }[] },
        { rows: OutboxRow[] },
      ];
      const rows = selected.rows;
      if (rows.length === 0) {
        // Nothing to publish, or another relay (instance) holds the lock: when a writer here woke
        // this relay without notifying, notify now, so that the holder runs again.
        await client.query(!lock.rows[0]?.got && wokenLocally ? `SELECT pg_notify('${OUTBOX_CHANNEL}', ''); COMMIT` : 'COMMIT');
        open = false;
        return 0;
      }
      const ids = rows.map((r) => {
        if (!/^[0-9]+$/.test(String(r.id))) throw new Error(`outbox relay: unexpected row id ${JSON.stringify(r.id)}`);
        return String(r.id);
      });
      const spans: Span[] = [];
      try {
        const producer = await this.getProducer();
        await producer.sendBatch({ acks: -1, topicMessages: this.toTopicMessages(rows, spans) });
        endSpans(spans);
      } catch (err) {
        endSpans(spans, err);
        await client.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])', [ids, errorText(err)]);
        await client.query('COMMIT');
        open = false;
        // A fresh producer (new producer id, sequence numbers from 0) for the next attempt.
        await this.resetProducer();
        throw err;
      }
      // Sent: the rows go (Kafka keeps the events; a row kept and marked sent would cost a new
      // row version with its payload, and a purge later).
      await client.query(`DELETE FROM outbox WHERE id = ANY('{${ids.join(',')}}'::bigint[]); COMMIT`);
      open = false;
      this.log.info({ published: rows.length, firstId: ids[0], lastId: ids[ids.length - 1] }, 'outbox relay: published');
      await this.vacuumIfDue(client, rows.length);
      return rows.length;
    } catch (err) {
      if (open) await client.query('ROLLBACK').catch(() => this.dropPublishClient(client));
      throw err;
    }
  }

  /** VACUUM the outbox once `vacuumEveryRows` rows went since the last time (a failure is logged, not thrown). */
  private async vacuumIfDue(client: Client, deleted: number): Promise<void> {
    if (this.vacuumEveryRows === 0) return;
    this.deletedSinceVacuum += deleted;
    if (this.deletedSinceVacuum < this.vacuumEveryRows) return;
    this.deletedSinceVacuum = 0;
    await client.query('VACUUM (SKIP_LOCKED) outbox').catch((err) => this.log.warn({ err: serializeError(err) }, 'outbox relay: VACUUM of the outbox failed (left to autovacuum)'));
  }

  /**
   * BEGIN's companion, after the lock was tried (the answer tells whether another relay holds
   * it): the unsent rows in id order, locked, if this relay holds the lock (tried again: it is
   * re-entrant; the uncorrelated sub-select runs once, before any row is read; without the lock
   * no row is read, so none is locked and nothing waits for another relay's rows).
   */
  private get selectSql(): string {
    return `SELECT id, event_id, topic, key, payload, trace_context FROM outbox WHERE (SELECT pg_try_advisory_xact_lock(${RELAY_LOCK_KEY}::bigint)) AND sent_at IS NULL ORDER BY id LIMIT ${this.batchSize} FOR UPDATE`;
  }

  /** The relay's own connection for publishing (connected on first use, again after a failure). */
  private publishClient(): Promise<Client> {
    if (!this.publisherReady) {
      const client = new Client({ ...this.listenConfig, application_name: 'remote-help-outbox-publisher' });
      client.on('error', (err) => {
        this.log.warn({ err: serializeError(err) }, 'outbox relay: publishing connection lost, reconnecting');
        this.dropPublishClient(client);
      });
      client.on('end', () => this.dropPublishClient(client));
      const ready = client.connect().then(() => client);
      this.publisher = client;
      this.publisherReady = ready;
      ready.catch(() => this.dropPublishClient(client));
    }
    return this.publisherReady;
  }

  private dropPublishClient(client: Client): void {
    if (this.publisher !== client) return;
    this.publisher = undefined;
    this.publisherReady = undefined;
    client.removeAllListeners('end');
    client.end().catch(noop);
  }

  /**
   * Rows grouped by topic, each group in id order (kafkajs keeps that order per partition). A row
   * written in a trace gets its publish span (pushed on `spans`) and the headers that carry it.
   */
  private toTopicMessages(rows: OutboxRow[], spans: Span[]): TopicMessages[] {
    const byTopic = new Map<string, Message[]>();
    for (const row of rows) {
      const topic = topicName(this.topicPrefix, row.topic);
      let messages = byTopic.get(topic);
      if (!messages) byTopic.set(topic, (messages = []));
      const traced = startPublishSpan(topic, row.event_id, row.trace_context);
      if (traced) spans.push(traced.span);
      messages.push({
        key: row.key,
        value: JSON.stringify(row.payload),
        headers: { 'event-type': row.payload.type, 'event-id': row.event_id, ...traced?.headers },
      });
    }
    return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
  }

  private getProducer(): Promise<Producer> {
    if (!this.producerReady) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
        // Bounded on purpose: fail (and record the failure on the rows) rather than block forever.
        retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
      });
      this.producer = producer;
      this.producerReady = producer.connect().then(() => producer);
      this.producerReady.catch(noop);
    }
    return this.producerReady;
  }

  private async resetProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    this.producerReady = undefined;
    if (producer) await producer.disconnect().catch(noop);
  }
}
