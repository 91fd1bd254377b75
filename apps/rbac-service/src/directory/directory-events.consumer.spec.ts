import { Logger } from '@nestjs/common';
import { createEvent, type EventEnvelope } from '@remote-help/events';
import type { EntityManager } from 'typeorm';
import { applyDirectoryEvent, DirectoryEventsConsumer } from './directory-events.consumer';
import type { DirectoryStore } from './directory-store';

const T = '11111111-1111-4111-8111-111111111111';
const G = '33333333-3333-4333-8333-333333333333';
const U = '22222222-2222-4222-8222-222222222222';
const manager = {} as EntityManager;

function fakeStore() {
  const calls: [string, unknown][] = [];
  const rec = (name: string) => async (_m: EntityManager, d: unknown) => void calls.push([name, d]);
  const store = {
    tenantCreated: rec('tenantCreated'),
    settingsUpdated: rec('settingsUpdated'),
    userUpserted: rec('userUpserted'),
    deviceUpserted: rec('deviceUpserted'),
    groupCreated: rec('groupCreated'),
    membersAdded: rec('membersAdded'),
    membersRemoved: rec('membersRemoved'),
  } as unknown as DirectoryStore;
  return { store, calls };
}

const event = (type: string, data: unknown): EventEnvelope => createEvent({ type, source: 'tenant-service', tenantId: T, subject: T, data });

describe('directory events', () => {
  it('sends each event type to its store method', async () => {
    const { store, calls } = fakeStore();
    const members = { groupId: G, tenantId: T, userIds: [U], deviceIds: [] };
    await applyDirectoryEvent(store, event('group.members.added', members), manager);
    await applyDirectoryEvent(store, event('group.members.removed', members), manager);
    await applyDirectoryEvent(store, event('group.created', { id: G, tenantId: T, displayName: 'Helpers', memberKind: 'USERS' }), manager);
    expect(calls.map((c) => c[0])).toEqual(['membersAdded', 'membersRemoved', 'groupCreated']);
    expect(calls[0][1]).toEqual(members);
  });

  it('applies license.assigned like user.upserted (the same snapshot)', async () => {
    const { store, calls } = fakeStore();
    const user = { id: U, tenantId: T, userPrincipalName: 'a@b.com', displayName: 'A', licenses: [], version: 2 };
    await applyDirectoryEvent(store, event('license.assigned', user), manager);
    expect(calls.map((c) => c[0])).toEqual(['userUpserted']);
  });

  it('ignores event types it does not know', async () => {
    const { store, calls } = fakeStore();
    await applyDirectoryEvent(store, event('tenant.renamed', {}), manager);
    expect(calls).toEqual([]);
  });

  it('skips malformed data instead of retrying it forever, and lets other errors through', async () => {
    const { store, calls } = fakeStore();
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const pipeline = { register: jest.fn() };
    const consumer = new DirectoryEventsConsumer(pipeline as never, store);
    await expect(consumer.handle(event('group.created', { id: 'x' }), manager)).resolves.toBeUndefined();
    expect(calls).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^skipped group.created .*: id must be a UUID$/));
    warn.mockRestore();
    const failing = { ...store, groupCreated: async () => Promise.reject(new Error('database down')) } as unknown as DirectoryStore;
    await expect(new DirectoryEventsConsumer(pipeline as never, failing).handle(event('group.created', { id: G, tenantId: T, displayName: 'H', memberKind: 'USERS' }), manager)).rejects.toThrow('database down');
  });

  it('registers one consumer on the tenant topic', () => {
    const pipeline = { register: jest.fn() };
    new DirectoryEventsConsumer(pipeline as never, fakeStore().store).onModuleInit();
    expect(pipeline.register).toHaveBeenCalledWith(expect.objectContaining({ name: 'directory', topics: ['remote-help.tenant.v1'] }));
  });
});
