/**
 * In-process fan-out of live payloads to subscribers, by channel (e.g. `session:<id>`,
 * `tenant-count:<tenantId>`). Publishing only enqueues, so a slow subscriber never holds up
 * the others or the publisher; each subscriber's queue is bounded: a "latest" subscriber keeps
 * only the newest payload (counts, session states), a "queue" subscriber keeps up to `max`
 * and drops the oldest beyond (chat).
 */
export interface SubscribeOptions {
  mode: 'latest' | 'queue';
  max?: number;
}

class Subscriber<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting?: (r: IteratorResult<T>) => void;
  private done = false;
  private received = false;
  dropped = 0;

  constructor(
    private readonly options: SubscribeOptions,
    private readonly onClose: () => void,
  ) {}

  /** The first payload (e.g. the current count), unless a live one has arrived meanwhile. */
  offerInitial(item: T) {
    if (!this.received) this.push(item);
  }

  push(item: T) {
    if (this.done) return;
    this.received = true;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: item, done: false });
      return;
    }
    if (this.options.mode === 'latest') this.items.length = 0;
    this.items.push(item);
    const max = this.options.max ?? 100;
    while (this.items.length > max) {
      this.items.shift();
      this.dropped++;
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(e: unknown): Promise<IteratorResult<T>> {
    this.close();
    return Promise.reject(e);
  }

  close() {
    if (this.done) return;
    this.done = true;
    this.items.length = 0;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
    this.onClose();
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

export class Hub {
  private readonly channels = new Map<string, Set<Subscriber<unknown>>>();
  private readonly revisions = new Map<string, number>();
  private sequence = 0;

  subscribe<T>(channel: string, options: SubscribeOptions): Subscriber<T> {
    let set = this.channels.get(channel);
    if (!set) {
      this.channels.set(channel, (set = new Set()));
      this.revisions.set(channel, ++this.sequence);
    }
    const sub: Subscriber<T> = new Subscriber<T>(options, () => {
      set!.delete(sub as Subscriber<unknown>);
      if (!set!.size && this.channels.get(channel) === set) {
        this.channels.delete(channel);
        this.revisions.delete(channel);
      }
    });
    set.add(sub as Subscriber<unknown>);
    return sub;
  }

  publish(channel: string, payload: unknown): number {
    const set = this.channels.get(channel);
    if (!set) return 0;
    this.revisions.set(channel, ++this.sequence);
    for (const s of set) s.push(payload);
    return set.size;
  }

  /**
   * Changes whenever something is published to a channel that has subscribers, and when the
   * channel is opened anew (never repeats): a value read for the channel's subscribers (e.g. the
   * current count) at revision r is still current for a new subscriber while the revision is r,
   * since anything published later reaches that subscriber live.
   */
  revision(channel: string): number | undefined {
    return this.revisions.get(channel);
  }

  subscriberCount(channel?: string): number {
    if (channel) return this.channels.get(channel)?.size ?? 0;
    let n = 0;
    for (const s of this.channels.values()) n += s.size;
    return n;
  }
}
