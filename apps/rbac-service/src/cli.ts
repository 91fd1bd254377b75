import 'reflect-metadata';
import { loadConfigOrExit, openServiceDataSource } from '@remote-help/service-kit';
import { GraphQLError } from 'graphql';
import { configSpec, SERVICE_NAME } from './config';
import { ENTITIES, MIGRATIONS } from './data-source';
import { bootstrapTenantInput } from './directory/bootstrap-tenant';
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
      const input = bootstrapTenantInput(JSON.parse(json ?? '{}'));
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
