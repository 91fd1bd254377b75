import type { Caller } from '@remote-help/auth';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { decodeUsage, encodeUsage, RateLimitSync } from './rate-limit-sync';
import { RateLimits, type Usage } from './rate-limits';

const alice: Caller = { kind: 'user', tenantId: 't-1', userId: 'u-alice' } as Caller;
const bob: Caller = { kind: 'user', tenantId: 't-1', userId: 'u-bob' } as Caller;
const settings = { windowSeconds: 60, perCaller: 5, perTenant: 0, strictPerCaller: 2, strictPerTenant: 0 };
const log = { warn: jest.fn(), info: jest.fn() } as unknown as Logger;

/** A topic in memory standing in for Kafka's: every message reaches every subscribed gateway, its sender's included. */
function topic() {
  const readers: RateLimitSync[] = [];
  const sent: Buffer[] = [];
  let down = false;
  const kafka = {
    producer: () => ({
      connect: async () => {
        if (down) throw new Error('broker down');
      },
      send: async ({ messages }: { messages: { value: Buffer }[] }) => {
        if (down) throw new Error('broker down');
        for (const m of messages) {
          sent.push(m.value);
          for (const r of readers) await r.receive(m.value);
        }
      },
      disconnect: async () => undefined,
    }),
  } as unknown as Kafka;
  return {
    sent,
    /** Delivers messages again to every gateway, as Kafka does after a rebalance or a consumer restart (at least once). */
    redeliver: async (values: Buffer[]) => {
      for (const v of values) for (const r of readers) await r.receive(v);
    },
    setDown: (d: boolean) => (down = d),
    gateway(name: string, peerPoints: number[] = []) {
      const limits = new RateLimits(settings, { share: true });
      const sync = new RateLimitSync(limits, { kafka, topic: 'rate-usage', gateway: name, intervalMs: 60_000, log, onPeerPoints: (n) => peerPoints.push(n) });
      readers.push(sync);
      return { limits, sync };
    },
  };
}

const admitted = (p: Promise<unknown>) =>
  p.then(
    () => true,
    (e) => (e.extensions?.code === 'RATE_LIMITED' ? false : Promise.reject(e)),
  );

describe('rate limits across gateways (RateLimitSync)', () => {
  it('refuses the N+1st request of a caller whichever gateway the requests reached, once the usage is shared', async () => {
    const t = topic();
    const peerOfB: number[] = [];
    const a = t.gateway('a');
    const b = t.gateway('b', peerOfB);
    for (let i = 0; i < 3; i++) expect(await admitted(a.limits.request(alice))).toBe(true);
    for (let i = 0; i < 2; i++) expect(await admitted(b.limits.request(alice))).toBe(true);
    await Promise.all([a.sync.flush(), b.sync.flush()]);
    expect(peerOfB).toEqual([3]);
    expect(await admitted(a.limits.request(alice))).toBe(false);
    expect(await admitted(b.limits.request(alice))).toBe(false);
    // Another caller's budget is untouched.
    expect(await admitted(b.limits.request(bob))).toBe(true);
  });

  it('shares the stricter requestSession/joinSession budgets too', async () => {
    const t = topic();
    const a = t.gateway('a');
    const b = t.gateway('b');
    await a.limits.operation(alice, ['requestSession']);
    await b.limits.operation(alice, ['joinSession']);
    await Promise.all([a.sync.flush(), b.sync.flush()]);
    await expect(a.limits.operation(alice, ['requestSession'])).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    await expect(b.limits.operation(alice, ['requestSession'])).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
  });

  it('overshoots by at most what the other gateways admitted since their last report', async () => {
    const t = topic();
    const a = t.gateway('a');
    const b = t.gateway('b');
    // Unshared yet: each gateway sees only its own requests, so together they admit up to 2 x N.
    let total = 0;
    for (let i = 0; i < 10; i++) if (await admitted(a.limits.request(alice))) total++;
    for (let i = 0; i < 10; i++) if (await admitted(b.limits.request(alice))) total++;
    expect(total).toBe(10);
    await Promise.all([a.sync.flush(), b.sync.flush()]);
    // From the reports on, neither admits anything more in this window.
    expect(await admitted(a.limits.request(alice))).toBe(false);
    expect(await admitted(b.limits.request(alice))).toBe(false);
  });

  it('reports each admitted point once, skips its own reports, and sends nothing when idle', async () => {
    const t = topic();
    const peerOfA: number[] = [];
    const a = t.gateway('a', peerOfA);
    await a.limits.request(alice);
    await a.sync.flush();
    await a.sync.flush();
    expect(t.sent.map((m) => decodeUsage(m))).toEqual([{ gateway: 'a', seq: 1, usage: [['caller', 't-1/user:u-alice', 1]] }]);
    expect(peerOfA).toEqual([]);
  });

  it('applies a redelivered message once, and the messages after it', async () => {
    const t = topic();
    const peerOfB: number[] = [];
    const a = t.gateway('a');
    const b = t.gateway('b', peerOfB);
    for (let i = 0; i < 3; i++) await a.limits.request(alice);
    await a.sync.flush();
    expect(peerOfB).toEqual([3]);
    // The same message again (twice), then the whole topic from the start.
    await t.redeliver([t.sent[0], t.sent[0]]);
    await a.limits.request(alice);
    await a.sync.flush();
    await t.redeliver(t.sent);
    expect(t.sent.map((m) => decodeUsage(m)?.seq)).toEqual([1, 2]);
    expect(peerOfB).toEqual([3, 1]);
    // b counts alice's 4 requests on a once: one more is admitted, and no other.
    expect(await admitted(b.limits.request(alice))).toBe(true);
    expect(await admitted(b.limits.request(alice))).toBe(false);
  });

  it('applies the messages of a restarted gateway (another id, numbered from 1 again)', async () => {
    const t = topic();
    const peerOfB: number[] = [];
    t.gateway('b', peerOfB);
    const first = t.gateway('a.1');
    await first.limits.request(alice);
    await first.sync.flush();
    const second = t.gateway('a.2');
    await second.limits.request(alice);
    await second.sync.flush();
    expect(t.sent.map((m) => decodeUsage(m))).toMatchObject([
      { gateway: 'a.1', seq: 1 },
      { gateway: 'a.2', seq: 1 },
    ]);
    expect(peerOfB).toEqual([1, 1]);
  });

  it('drops a report it cannot send (the limits then hold per gateway) and sends the next', async () => {
    const t = topic();
    const a = t.gateway('a');
    const b = t.gateway('b');
    t.setDown(true);
    await a.limits.request(alice);
    await a.sync.flush();
    expect(log.warn).toHaveBeenCalled();
    t.setDown(false);
    await a.limits.request(alice);
    await a.sync.flush();
    expect(t.sent.map((m) => decodeUsage(m)?.usage)).toEqual([[['caller', 't-1/user:u-alice', 1]]]);
    for (let i = 0; i < 4; i++) expect(await admitted(b.limits.request(alice))).toBe(true);
    expect(await admitted(b.limits.request(alice))).toBe(false);
  });

  it('does not share when sharing is off (RATE_LIMIT_SYNC_MS=0)', async () => {
    const limits = new RateLimits(settings);
    await limits.request(alice);
    expect(limits.takeUsage()).toEqual([]);
  });
});

describe('rate-usage messages', () => {
  it('cut a large report in several messages and read back the same usage', () => {
    const usage: Usage[] = Array.from({ length: 5 }, (_, i) => ['tenant', `t-${i}`, i + 1]);
    const messages = encodeUsage('g', 7, usage, 2);
    expect(messages).toHaveLength(3);
    expect(messages.map((m) => decodeUsage(m)!.seq)).toEqual([7, 8, 9]);
    expect(messages.flatMap((m) => decodeUsage(m)!.usage)).toEqual(usage);
    expect(encodeUsage('g', 1, [])).toEqual([]);
  });

  it.each([
    ['not JSON', Buffer.from('{')],
    ['no gateway', Buffer.from(JSON.stringify({ seq: 1, usage: [] }))],
    ['no sequence number', Buffer.from(JSON.stringify({ gateway: 'g', usage: [] }))],
    ['a sequence number of 0', Buffer.from(JSON.stringify({ gateway: 'g', seq: 0, usage: [] }))],
    ['a fractional sequence number', Buffer.from(JSON.stringify({ gateway: 'g', seq: 1.5, usage: [] }))],
    ['no usage list', Buffer.from(JSON.stringify({ gateway: 'g', seq: 1, usage: {} }))],
    ['an empty message', null],
  ])('ignore %s', (_what, value) => {
    expect(decodeUsage(value)).toBeUndefined();
  });

  it.each([
    ['an unknown budget', ['admin', 'k', 1]],
    ['a negative count', ['tenant', 'k', -3]],
    ['a fractional count', ['tenant', 'k', 1.5]],
    ['a key that is not a text', ['tenant', 7, 1]],
    ['no count', ['tenant', 'k']],
  ])('refuse a message with an entry of %s', (_what, entry) => {
    expect(decodeUsage(Buffer.from(JSON.stringify({ gateway: 'g', seq: 1, usage: [['caller', 'k', 2], entry] })))).toBeUndefined();
    expect(decodeUsage(Buffer.from(JSON.stringify({ gateway: 'g', seq: 1, usage: [['caller', 'k', 2]] })))).toEqual({ gateway: 'g', seq: 1, usage: [['caller', 'k', 2]] });
  });
});
