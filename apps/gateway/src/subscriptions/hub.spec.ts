import { Hub } from './hub';

describe('Hub', () => {
  it('delivers to every subscriber of a channel and to no other', async () => {
    const hub = new Hub();
    const a = hub.subscribe<number>('c1', { mode: 'queue' });
    const b = hub.subscribe<number>('c1', { mode: 'queue' });
    const other = hub.subscribe<number>('c2', { mode: 'queue' });
    expect(hub.publish('c1', 1)).toBe(2);
    expect(await a.next()).toEqual({ value: 1, done: false });
    expect(await b.next()).toEqual({ value: 1, done: false });
    hub.publish('c2', 9);
    expect(await other.next()).toEqual({ value: 9, done: false });
  });

  it('keeps only the newest payload for a "latest" subscriber that is behind', async () => {
    const hub = new Hub();
    const slow = hub.subscribe<number>('count', { mode: 'latest' });
    for (let i = 1; i <= 1000; i++) hub.publish('count', i);
    expect(await slow.next()).toEqual({ value: 1000, done: false });
  });

  it('bounds a queue subscriber and drops the oldest', async () => {
    const hub = new Hub();
    const slow = hub.subscribe<number>('chat', { mode: 'queue', max: 3 });
    for (let i = 1; i <= 5; i++) hub.publish('chat', i);
    expect(slow.dropped).toBe(2);
    expect([(await slow.next()).value, (await slow.next()).value, (await slow.next()).value]).toEqual([3, 4, 5]);
  });

  it('wakes a waiting subscriber, and forgets a subscriber that returns', async () => {
    const hub = new Hub();
    const s = hub.subscribe<string>('c', { mode: 'queue' });
    const pending = s.next();
    hub.publish('c', 'x');
    expect(await pending).toEqual({ value: 'x', done: false });
    await s.return();
    expect(hub.subscriberCount()).toBe(0);
    expect(hub.publish('c', 'y')).toBe(0);
    expect(await s.next()).toEqual({ value: undefined, done: true });
  });
});

describe('Hub revisions', () => {
  it('change on every publish to a channel with subscribers and when the channel is opened anew, and never repeat', () => {
    const hub = new Hub();
    expect(hub.revision('c')).toBeUndefined();
    const a = hub.subscribe<number>('c', { mode: 'latest' });
    const r1 = hub.revision('c');
    hub.subscribe<number>('other', { mode: 'latest' });
    expect(hub.revision('c')).toBe(r1);
    hub.publish('c', 1);
    const r2 = hub.revision('c');
    expect(r2).not.toBe(r1);
    void a.return();
    expect(hub.revision('c')).toBeUndefined();
    hub.subscribe<number>('c', { mode: 'latest' });
    expect([r1, r2]).not.toContain(hub.revision('c'));
  });
});
