import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule, ServiceStartKeys, subgraphGraphQLModule } from '@remote-help/service-kit';
import { AccessDataService } from './access/access-data.service';
import { AccessService } from './access/access.service';
import { LocalAdminPermissionSource } from './access/local-admin-permission-source';
import { RoleAssignmentService } from './assignment/role-assignment.service';
import { type RbacConfig, SERVICE_NAME } from './config';
import { FactsCache } from './access/access-facts.cache';
import { AccessFactsListener } from './access/access-facts.listener';
import { ENTITIES, MIGRATIONS } from './data-source';
import { DirectoryEventsConsumer } from './directory/directory-events.consumer';
import { DirectoryStore } from './directory/directory-store';
import { InternalController } from './internal/internal.controller';
import { RoleService } from './role/role.service';
import { ORPHANED_TYPES, RESOLVERS } from './schema';

@Module({})
export class AppModule {
  static forRoot(config: RbacConfig, keys: ServiceStartKeys): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Admin permission checks read this service's own tables (no HTTP call to itself).
        ServiceKitModule.forRoot({ name: SERVICE_NAME, config, entities: ENTITIES, migrations: MIGRATIONS, adminPermissionSource: LocalAdminPermissionSource, ...keys }),
        subgraphGraphQLModule({ production: config.NODE_ENV === 'production', orphanedTypes: ORPHANED_TYPES }),
      ],
      controllers: [InternalController],
      providers: [
        { provide: FactsCache, useValue: new FactsCache(config.ACCESS_FACTS_CACHE_ENTRIES) },
        AccessFactsListener,
        ...RESOLVERS,
        RoleService,
        RoleAssignmentService,
        AccessDataService,
        AccessService,
        DirectoryStore,
        DirectoryEventsConsumer,
      ],
    };
  }
}
