import { Kafka, logLevel as LogLevel, type Admin, type ISocketFactory, type LogEntry, type RetryOptions } from 'kafkajs';
import './kafkajs-idle-loop';
import { TOPIC_CONFIGS, TOPIC_PARTITIONS, TOPICS, topicName } from './topics';

export interface CreateKafkaOptions {
  brokers: string[];
  clientId: string;
  /** Lowest level written to stderr (default `warn`). */
  logLevel?: 'error' | 'warn' | 'info';
  /** Optional kafkajs socket factory (e.g. to route every broker connection through a proxy). */
  socketFactory?: ISocketFactory;
}

const LEVELS = { error: LogLevel.ERROR, warn: LogLevel.WARN, info: LogLevel.INFO } as const;
const LABELS: Record<number, string> = {
  [LogLevel.ERROR]: 'error',
  [LogLevel.WARN]: 'warn',
  [LogLevel.INFO]: 'info',
  [LogLevel.DEBUG]: 'debug',
};

/**
 * Messages we cause on purpose and that say nothing to an operator. The outbox relay gives its
 * idempotent producer a bounded retry budget so that a send fails (and is recorded in the
 * outbox row) while Kafka is down instead of hanging forever; kafkajs warns about that at each
 * producer creation. Duplicates after such a failure are absorbed by the idempotent consumers.
 */
const SUPPRESSED = [/^Limiting retries for the idempotent producer/];

/** Retry policy for a broker on the same host or network: fail within seconds, not minutes. */
export const KAFKA_RETRY: RetryOptions = { initialRetryTime: 100, maxRetryTime: 3000, retries: 5, factor: 0.2, multiplier: 2 };

function jsonSafe(v: unknown): unknown {
  if (v instanceof Error) return { name: v.name, message: v.message };
  return v;
}

/** kafkajs `logCreator`: one JSON line per entry on stderr. */
export function jsonLogCreator() {
  return ({ namespace, level, log }: LogEntry): void => {
    const { message, timestamp, ...rest } = log as LogEntry['log'] & Record<string, unknown>;
    if (SUPPRESSED.some((re) => re.test(String(message)))) return;
    const entry: Record<string, unknown> = {
      time: timestamp,
      level: LABELS[level] ?? String(level),
      lib: 'kafkajs',
      namespace,
      msg: message,
    };
    for (const [k, v] of Object.entries(rest)) if (k !== 'stack') entry[k] = jsonSafe(v);
    process.stderr.write(`${JSON.stringify(entry)}\n`);
  };
}

/** A kafkajs client with a quiet JSON logger (stderr, `warn` and up by default) and short retries. */
export function createKafka(opts: CreateKafkaOptions): Kafka {
  if (!Array.isArray(opts.brokers) || opts.brokers.length === 0) throw new TypeError('createKafka: brokers must be a non-empty array');
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    logLevel: LEVELS[opts.logLevel ?? 'warn'],
    logCreator: jsonLogCreator,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: KAFKA_RETRY,
    ...(opts.socketFactory ? { socketFactory: opts.socketFactory } : {}),
  });
}

/**
 * Creates the topics (`prefix + base`) with their explicit partition counts and replication
 * factor 1, and waits for their leaders. Topics that already exist are left as they are
 * (a concurrent creation by another service is fine too).
 */
export async function ensureTopics(kafka: Kafka, prefix: string, bases: string[] = Object.values(TOPICS)): Promise<void> {
  const topics = bases.map((base) => {
    const numPartitions = TOPIC_PARTITIONS[base];
    if (!numPartitions) throw new TypeError(`ensureTopics: unknown base topic "${base}" (add it to TOPICS and TOPIC_PARTITIONS)`);
    return { topic: topicName(prefix, base), numPartitions, replicationFactor: 1, ...(TOPIC_CONFIGS[base] ? { configEntries: TOPIC_CONFIGS[base] } : {}) };
  });
  if (topics.length === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Only the missing ones: the broker answers an existing topic with an error that kafkajs logs.
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    const created = missing.length === 0 || (await admin.createTopics({ topics: missing, waitForLeaders: true }));
    // createTopics skips waiting for leaders when some of the topics already existed.
    if (!created || missing.length === 0)
      await waitForLeaders(
        admin,
        topics.map((t) => t.topic),
      );
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics });
      if (meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`ensureTopics: timed out waiting for the leaders of ${topics.join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
