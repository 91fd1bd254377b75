import 'reflect-metadata';
import type { CloudEnvironment } from '@remote-help/domain';
import { loadConfigOrExit, openServiceDataSource } from '@remote-help/service-kit';
import { GraphQLError } from 'graphql';
import { configSpec, SERVICE_NAME } from './config';
import { ENTITIES, MIGRATIONS } from './data-source';
import { DeviceService } from './device/device.service';
import { TenantService } from './tenant/tenant.service';
import { UserService } from './user/user.service';

/**
 * Commands of `npm run -s rh` that belong to this service, run against its database directly
 * (the running service's relay publishes the events they write to the outbox).
 * Usage: node dist/cli.js tenant-create <json>  -> {"tenantId", "adminUserId", "bootstrap"} (bootstrap: the data of the
 *   events it wrote, { tenant, settings, adminUser, group }, which `rh` hands to rbac-service and does not print)
 */
async function main() {
  const [command, json] = process.argv.slice(2);
  const { DATABASE_URL } = loadConfigOrExit(SERVICE_NAME, { DATABASE_URL: configSpec.DATABASE_URL });
  const ds = await openServiceDataSource({ url: DATABASE_URL, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 2 });
  try {
    const args = JSON.parse(json ?? '{}');
    switch (command) {
      case 'tenant-create': {
        const result = await new TenantService(ds).createTenant({
          displayName: args.name,
          domain: args.domain,
          cloud: (args.cloud ?? 'COMMERCIAL') as CloudEnvironment,
          adminUpn: args.admin,
          ...(args.id !== undefined ? { id: args.id } : {}),
        });
        process.stdout.write(JSON.stringify(result) + '\n');
        break;
      }
      case 'user-exists': {
        const users = new UserService(ds);
        const ok = args.upn ? await users.findByUpn(args.tenantId, args.upn) : await new DeviceService(ds).findInTenant(args.tenantId, args.deviceId);
        process.stdout.write(JSON.stringify({ exists: !!ok }) + '\n');
        break;
      }
      default:
        throw new Error(`unknown command ${command}`);
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof GraphQLError ? '' : 'error: '}${(e as Error).message}\n`);
  process.exit(1);
});
