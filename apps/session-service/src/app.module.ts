import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule, ServiceStartKeys, subgraphGraphQLModule } from '@remote-help/service-kit';
import { AccessDecisions } from './access/access-decisions';
import { ChatHub } from './chat/chat-hub';
import { ChatStreamController } from './chat/chat-stream.controller';
import { SERVICE_NAME, SESSION_TIMINGS, SessionServiceConfig, timingsOf } from './config';
import { ENTITIES, MIGRATIONS } from './data-source';
import { ORPHANED_TYPES, RESOLVERS } from './schema';
import { RecentSessions } from './session/recent-sessions';
import { SessionEvents } from './session/session-events';
import { SessionStore } from './session/session-store';
import { SessionTimers } from './session/session-timers';
import { SessionMetrics } from './session/session.metrics';
import { SessionService } from './session/session.service';
import { TenantSettingsStore } from './tenant-settings/tenant-settings.store';

@Module({})
export class AppModule {
  static forRoot(config: SessionServiceConfig, keys: ServiceStartKeys): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({ name: SERVICE_NAME, config, entities: ENTITIES, migrations: MIGRATIONS, ...keys }),
        subgraphGraphQLModule({ production: config.NODE_ENV === 'production', orphanedTypes: ORPHANED_TYPES }),
      ],
      controllers: [ChatStreamController],
      providers: [
        { provide: SESSION_TIMINGS, useValue: timingsOf(config) },
        ...RESOLVERS,
        SessionService,
        SessionStore,
        RecentSessions,
        SessionEvents,
        SessionTimers,
        SessionMetrics,
        AccessDecisions,
        TenantSettingsStore,
        ChatHub,
      ],
    };
  }
}
