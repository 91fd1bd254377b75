import 'reflect-metadata';
import { loadConfigOrExit, openServiceDataSource } from '@remote-help/service-kit';
import { GraphQLError } from 'graphql';
import { configSpec, SERVICE_NAME } from './config';
import { ENTITIES, MIGRATIONS } from './data-source';
import { DIRECTORY_EVENTS, type EventData, EventContractError, type EventType, parseEventData } from '@remote-help/events';
import { DirectoryStore } from './directory/directory-store';

/**
 * Commands of `npm run -s rh` that belong to this service, run against its database directly.
 * Usage: node dist/cli.js bootstrap-tenant <json>
 *   json = { tenant: TenantCreatedData, settings: SettingsSnapshot, adminUser: UserSnapshot,
 *            group: GroupCreatedData, members?: GroupMembersChangedData }
 * applies what tenant-service's events for a new tenant will (same code, idempotent), so that the
 * first administrator holds "Remote Help Administrator" as soon as `rh tenant create` returns.
 */
async function main() {
  const [command, json] = process.argv.slice(2);
  const { DATABASE_URL } = loadConfigOrExit(SERVICE_NAME, { DATABASE_URL: configSpec.DATABASE_URL });
  switch (command) {
    case 'bootstrap-tenant': {
      const args = JSON.parse(json ?? '{}');
      const tenantId = String(args?.tenant?.tenantId ?? '');
      // Each part is the data of the event tenant-service writes for it, parsed by its contract.
      const part = <T extends EventType>(name: string, type: T): EventData<T> => {
        let data: EventData<T>;
        try {
          data = parseEventData(type, args?.[name]);
        } catch (e) {
          throw new Error(`${name}: ${e instanceof EventContractError ? e.reason : (e as Error).message}`, { cause: e });
        }
        const dataTenant = (data as { tenantId?: string }).tenantId;
        if (dataTenant !== tenantId.toLowerCase()) throw new Error(`${name}: the data's tenantId ${dataTenant} is not the tenant's ${tenantId}`);
        return data;
      };
      const tenant = part('tenant', DIRECTORY_EVENTS.tenantCreated);
      const group = part('group', DIRECTORY_EVENTS.groupCreated);
      const input = {
        tenant: { ...tenant, adminGroupId: tenant.adminGroupId ?? group.id },
        settings: part('settings', DIRECTORY_EVENTS.settingsUpdated),
        adminUser: part('adminUser', DIRECTORY_EVENTS.userUpserted),
        group,
        ...(args.members ? { members: part('members', DIRECTORY_EVENTS.groupMembersAdded) } : {}),
      };
      const ds = await openServiceDataSource({ url: DATABASE_URL, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 2 });
      try {
        await ds.transaction((m) => new DirectoryStore().bootstrapTenant(m, input));
      } finally {
        await ds.destroy();
      }
      process.stdout.write(JSON.stringify({ ok: true }) + '\n');
      break;
    }
    default:
      throw new Error(`unknown command ${command}`);
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof GraphQLError ? '' : 'error: '}${(e as Error).message}\n`);
  process.exit(1);
});
