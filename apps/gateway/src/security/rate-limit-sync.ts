import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { RateLimits} from './rate-limits';
import { BUDGETS, type Budget, type Usage } from './rate-limits';

/** One gateway's usage since its previous report (the value of a message on the rate-usage topic, as JSON). */
export interface RateUsageReport {
  /** The reporting gateway (its own reports are skipped when they come back). */
  gateway: string;
  usage: Usage[];
}

/** Keys per message: a report of many callers is cut in several messages well under Kafka's 1 MB. */
export const MAX_USAGE_PER_MESSAGE = 2_000;

/** The messages of one report (none when nothing was used). */
export function encodeUsage(gateway: string, usage: Usage[], maxPerMessage = MAX_USAGE_PER_MESSAGE): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < usage.length; i += maxPerMessage) out.push(Buffer.from(JSON.stringify({ gateway, usage: usage.slice(i, i + maxPerMessage) } satisfies RateUsageReport)));
  return out;
}

const budgets: ReadonlySet<string> = new Set(BUDGETS);

/** A report read from the topic, or undefined when it is not one (entries of unknown budgets or bad counts are dropped). */
export function decodeUsage(value: Buffer | null): RateUsageReport | undefined {
  if (!value) return undefined;
  let o: unknown;
  try {
    o = JSON.parse(value.toString('utf8'));
  } catch {
    return undefined;
  }
  const r = o as Partial<RateUsageReport> | null;
  if (!r || typeof r !== 'object' || typeof r.gateway !== 'string' || !Array.isArray(r.usage)) return undefined;
  const usage = r.usage.filter(
    (u): u is Usage => Array.isArray(u) && u.length === 3 && budgets.has(u[0] as Budget) && typeof u[1] === 'string' && Number.isSafeInteger(u[2]) && (u[2] as number) > 0,
  );
  return { gateway: r.gateway, usage };
}

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
      await producer.send({ topic: this.o.topic, messages: encodeUsage(this.o.gateway, usage).map((value) => ({ value })) });
      if (this.failing) this.o.log.info('rate-limit usage is shared with the other gateways again');
      this.failing = false;
    } catch (e) {
      // Said once per outage (a report is tried every interval).
      if (!this.failing) this.o.log.warn({ err: (e as Error).message, keys: usage.length }, 'rate-limit usage cannot be shared with the other gateways: each counts its own requests until it can');
      this.failing = true;
    }
  }

  /** A message of the rate-usage topic (from the event feed): another gateway's usage is added here. */
  async receive(value: Buffer | null): Promise<void> {
    const report = decodeUsage(value);
    if (!report || report.gateway === this.o.gateway) return;
    const points = await this.limits.addUsage(report.usage);
    if (points) this.o.onPeerPoints?.(points);
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
