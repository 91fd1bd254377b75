import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule, ServiceStartKeys, subgraphGraphQLModule, SubgraphConfig } from '@remote-help/service-kit';
import { SERVICE_NAME } from './config';
import { ENTITIES, MIGRATIONS } from './data-source';
import { ORPHANED_TYPES, RESOLVERS } from './schema';
import { SessionService } from './session/session.service';

@Module({})
export class AppModule {
  static forRoot(config: SubgraphConfig, keys: ServiceStartKeys): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({ name: SERVICE_NAME, config, entities: ENTITIES, migrations: MIGRATIONS, ...keys }),
        subgraphGraphQLModule({ production: config.NODE_ENV === 'production', orphanedTypes: ORPHANED_TYPES }),
      ],
      providers: [...RESOLVERS, SessionService],
    };
  }
}
