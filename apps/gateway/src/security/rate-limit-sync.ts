import { RateUsageMessageSchema, type RateUsageMessage } from '@remote-help/events';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { RateLimits } from './rate-limits';
import { type Usage } from './rate-limits';

/** Keys per message: a report of many callers is cut in several messages well under Kafka's 1 MB. */
export const MAX_USAGE_PER_MESSAGE = 2_000;

/** The messages of one report, numbered from `firstSeq` on (none when nothing was used). */
export function encodeUsage(gateway: string, firstSeq: number, usage: Usage[], maxPerMessage = MAX_USAGE_PER_MESSAGE): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < usage.length; i += maxPerMessage) {
    const message: RateUsageMessage = { gateway, seq: firstSeq + out.length, usage: usage.slice(i, i + maxPerMessage) };
    out.push(Buffer.from(JSON.stringify(message)));
  }
  return out;
}

/** A message read from the topic, or undefined when it is not one (not JSON, or not fitting RateUsageMessageSchema). */
export function decodeUsage(value: Buffer | null): RateUsageMessage | undefined {
  if (!value) return undefined;
  let o: unknown;
  try {
    o = JSON.parse(value.toString('utf8'));
  } catch {
    return undefined;
  }
  const r = RateUsageMessageSchema.safeParse(o);
  return r.success ? r.data : undefined;
}

/**
 * How long the last sequence number of a gateway that sends nothing more is kept: well beyond
 * any redelivery (each gateway's consumer group starts at the end of the topic and commits every
 * second), and as long as the topic keeps its messages.
 */
export const FORGET_PEER_AFTER_MS = 60 * 60 * 1000;

export interface RateLimitSyncOptions {
  kafka: Kafka;
  /** The full topic name (prefix included). */
  topic: string;
  /** This gateway's id, unique among the replicas. */
  gateway: string;
  /** How often this gateway's usage is sent. */
  intervalMs: number;
  log: Logger;
  /** Called with the points learned from other gateways (metrics). */
  onPeerPoints?: (points: number) => void;
}

/**
 * Rate limits across gateway replicas without a database write per request: every `intervalMs`
 * each gateway sends what it admitted since its last report (RateLimits.takeUsage, a sum per
 * budget and key) to a Kafka topic that every gateway reads (the event feed's own consumer
 * group), and adds the other gateways' reports to its own counts (RateLimits.addUsage). A
 * gateway thus refuses once the sum over all replicas reaches a limit, give or take what the
 * others admitted during the last interval and the report's trip through Kafka (see the
 * README's "Rate limits across gateways"). While Kafka is unreachable, reports are dropped:
 * each gateway then counts its own requests only.
 */
export class RateLimitSync {
  private producer?: Producer;
  private connecting?: Promise<Producer>;
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private failing = false;
  /** The sequence number of this gateway's next message. */
  private nextSeq = 1;
  /** The last sequence number applied per other gateway, and when it came. */
  private readonly applied = new Map<string, { seq: number; at: number }>();
  private lastForget = Date.now();

  constructor(
    private readonly limits: RateLimits,
    private readonly o: RateLimitSyncOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.o.intervalMs);
    this.timer.unref();
  }

  /** Sends the usage since the last report (while one is being sent, the usage waits for the next). */
  flush(): Promise<void> {
    this.inFlight ??= this.send().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async send(): Promise<void> {
    const usage = this.limits.takeUsage();
    if (!usage.length) return;
    try {
      const producer = await this.connect();
      const messages = encodeUsage(this.o.gateway, this.nextSeq, usage);
      // Numbers of a report that could not be sent are not used again: receivers only need them to grow.
      this.nextSeq += messages.length;
      // Keyed by the gateway: its messages stay in order on one partition.
      await producer.send({ topic: this.o.topic, messages: messages.map((value) => ({ key: this.o.gateway, value })) });
      if (this.failing) this.o.log.info('rate-limit usage is shared with the other gateways again');
      this.failing = false;
    } catch (e) {
      // Said once per outage (a report is tried every interval).
      if (!this.failing) this.o.log.warn({ err: (e as Error).message, keys: usage.length }, 'rate-limit usage cannot be shared with the other gateways: each counts its own requests until it can');
      this.failing = true;
    }
  }

  /**
   * A message of the rate-usage topic (from the event feed): another gateway's usage is added
   * here, once (a message redelivered after a rebalance or a consumer restart, or sent twice by a
   * producer retry, is ignored: its sequence number is not above the last one applied).
   */
  async receive(value: Buffer | null): Promise<void> {
    const report = decodeUsage(value);
    if (!report || report.gateway === this.o.gateway) return;
    const now = Date.now();
    const last = this.applied.get(report.gateway);
    if (last && report.seq <= last.seq) return;
    this.applied.set(report.gateway, { seq: report.seq, at: now });
    this.forgetGone(now);
    const points = await this.limits.addUsage(report.usage);
    if (points) this.o.onPeerPoints?.(points);
  }

  /** Forgets the gateways that have sent nothing for FORGET_PEER_AFTER_MS (stopped or restarted ones); looked at once a minute. */
  private forgetGone(now: number): void {
    if (now - this.lastForget < 60_000) return;
    this.lastForget = now;
    for (const [gateway, { at }] of this.applied) if (now - at > FORGET_PEER_AFTER_MS) this.applied.delete(gateway);
  }

  private connect(): Promise<Producer> {
    if (this.producer) return Promise.resolve(this.producer);
    this.connecting ??= (async () => {
      // Few retries: a report late by more than an interval is worth less than the next one.
      const producer = this.o.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner, retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 } });
      try {
        await producer.connect();
      } catch (e) {
        this.connecting = undefined;
        throw e;
      }
      this.producer = producer;
      return producer;
    })();
    return this.connecting;
  }

  /** Sends what is left, then disconnects. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
    await this.flush();
    await this.producer?.disconnect().catch(() => undefined);
  }
}
