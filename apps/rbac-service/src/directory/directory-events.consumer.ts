import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventEnvelope, TOPICS } from '@remote-help/events';
import { EventPipeline } from '@remote-help/service-kit';
import { EntityManager } from 'typeorm';
import { RoleService } from '../role/role.service';

/** Keeps this service's view of the directory current from tenant-service's events. */
@Injectable()
export class DirectoryEventsConsumer implements OnModuleInit {
  constructor(
    private readonly pipeline: EventPipeline,
    private readonly roles: RoleService,
  ) {}

  onModuleInit() {
    this.pipeline.register({ name: 'directory', topics: [TOPICS.tenant], handler: (event, manager) => this.handle(event, manager) });
  }

  async handle(event: EventEnvelope, manager: EntityManager): Promise<void> {
    switch (event.type) {
      case 'tenant.created':
        await this.roles.ensureBuiltInRoles(manager, event.tenantId);
        break;
      default:
        // Other directory events are applied by the RBAC feature as it grows.
        break;
    }
  }
}
