import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule, ServiceStartKeys, subgraphGraphQLModule, SubgraphConfig } from '@remote-help/service-kit';
import { SERVICE_NAME } from './config';
import { ENTITIES, MIGRATIONS } from './data-source';
import { DeviceAdminService } from './device/device-admin.service';
import { DeviceService } from './device/device.service';
import { DirectoryLoaders } from './directory/directory-loaders';
import { GroupService } from './group/group.service';
import { PrincipalController } from './principal/principal.controller';
import { PrincipalService } from './principal/principal.service';
import { ORPHANED_TYPES, RESOLVERS } from './schema';
import { SettingsService } from './tenant/settings.service';
import { TenantService } from './tenant/tenant.service';
import { UserAdminService } from './user/user-admin.service';
import { UserService } from './user/user.service';

@Module({})
export class AppModule {
  static forRoot(config: SubgraphConfig, keys: ServiceStartKeys): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({ name: SERVICE_NAME, config, entities: ENTITIES, migrations: MIGRATIONS, ...keys }),
        subgraphGraphQLModule({ production: config.NODE_ENV === 'production', orphanedTypes: ORPHANED_TYPES }),
      ],
      controllers: [PrincipalController],
      providers: [...RESOLVERS, TenantService, SettingsService, UserService, UserAdminService, DeviceService, DeviceAdminService, GroupService, DirectoryLoaders, PrincipalService],
    };
  }
}
