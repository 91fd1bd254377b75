import { checkEventTenant, DIRECTORY_EVENTS, type EventData, EventContractError, type EventType, parseEventData } from '@remote-help/events';
import type { DirectoryStore } from './directory-store';

/** What `DirectoryStore.bootstrapTenant` applies. */
export type BootstrapTenantInput = Parameters<DirectoryStore['bootstrapTenant']>[1];

/**
 * The argument of `cli.js bootstrap-tenant` (`{ tenant, settings, adminUser, group, members? }`,
 * each part the data of the event tenant-service writes for it) checked as those events are: each
 * part parsed by its contract and of the tenant of `tenant` (checkEventTenant). Throws an Error
 * that names the part and says what is wrong.
 */
export function bootstrapTenantInput(args: unknown): BootstrapTenantInput {
  const given = (args ?? {}) as Record<string, unknown>;
  const tenantId = String((given.tenant as { tenantId?: unknown } | undefined)?.tenantId ?? '');
  const part = <T extends EventType>(name: string, type: T): EventData<T> => {
    try {
      const data = parseEventData(type, given[name]);
      checkEventTenant(type, tenantId, data);
      return data;
    } catch (e) {
      throw new Error(`${name}: ${e instanceof EventContractError ? e.reason : (e as Error).message}`, { cause: e });
    }
  };
  const tenant = part('tenant', DIRECTORY_EVENTS.tenantCreated);
  const group = part('group', DIRECTORY_EVENTS.groupCreated);
  return {
    tenant: { ...tenant, adminGroupId: tenant.adminGroupId ?? group.id },
    settings: part('settings', DIRECTORY_EVENTS.settingsUpdated),
    adminUser: part('adminUser', DIRECTORY_EVENTS.userUpserted),
    group,
    ...(given.members ? { members: part('members', DIRECTORY_EVENTS.groupMembersAdded) } : {}),
  };
}
