import { buildEvent, DIRECTORY_EVENTS, EventContractError, parseEvent } from '@remote-help/events';
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

const source = { source: 'tenant-service', tenantId: T, subject: T };
const user = { id: U, tenantId: T, userPrincipalName: 'a@b.com', displayName: 'A', givenName: null, surname: null, jobTitle: null, companyName: null, profilePictureUrl: null, licenses: [], version: 2 };

describe('directory events', () => {
  it('sends each event type to its store method', async () => {
    const { store, calls } = fakeStore();
    const members = { groupId: G, tenantId: T, userIds: [U], deviceIds: [] };
    await applyDirectoryEvent(store, buildEvent(DIRECTORY_EVENTS.groupMembersAdded, { ...source, data: members }), manager);
    await applyDirectoryEvent(store, buildEvent(DIRECTORY_EVENTS.groupMembersRemoved, { ...source, data: members }), manager);
    await applyDirectoryEvent(store, buildEvent(DIRECTORY_EVENTS.groupCreated, { ...source, data: { id: G, tenantId: T, displayName: 'Helpers', memberKind: 'USERS' } }), manager);
    expect(calls.map((c) => c[0])).toEqual(['membersAdded', 'membersRemoved', 'groupCreated']);
    expect(calls[0][1]).toEqual(members);
  });

  it('applies license.assigned like user.upserted (the same snapshot)', async () => {
    const { store, calls } = fakeStore();
    await applyDirectoryEvent(store, buildEvent(DIRECTORY_EVENTS.licenseAssigned, { ...source, data: user }), manager);
    expect(calls).toEqual([['userUpserted', user]]);
  });

  it('ignores the event types of the topic it does not keep', async () => {
    const { store, calls } = fakeStore();
    await applyDirectoryEvent(store, buildEvent('audit.recorded', { ...source, data: { actorId: null, category: 'Role', activity: 'x', targetId: null, result: 'Success' } }), manager);
    expect(calls).toEqual([]);
  });

  it('gets events parsed by their contract: malformed data never reaches it (it goes to the dead-letter topic), store errors go through', async () => {
    const malformed = { ...buildEvent(DIRECTORY_EVENTS.groupCreated, { ...source, data: { id: G, tenantId: T, displayName: 'H', memberKind: 'USERS' } }), data: { id: 'x' } };
    expect(() => parseEvent(malformed)).toThrow(EventContractError);
    const pipeline = { register: jest.fn() };
    const failing = { ...fakeStore().store, groupCreated: async () => Promise.reject(new Error('database down')) } as unknown as DirectoryStore;
    new DirectoryEventsConsumer(pipeline as never, failing).onModuleInit();
    const { handler } = pipeline.register.mock.calls[0][0];
    await expect(handler(buildEvent(DIRECTORY_EVENTS.groupCreated, { ...source, data: { id: G, tenantId: T, displayName: 'H', memberKind: 'USERS' } }), manager)).rejects.toThrow('database down');
  });

  it('registers one consumer on the tenant topic', () => {
    const pipeline = { register: jest.fn() };
    new DirectoryEventsConsumer(pipeline as never, fakeStore().store).onModuleInit();
    expect(pipeline.register).toHaveBeenCalledWith(expect.objectContaining({ name: 'directory', topics: ['remote-help.tenant.v1'] }));
  });
});
