import { Injectable, OnModuleInit } from '@nestjs/common';
import { type CatalogueEvent, DIRECTORY_EVENTS, TOPICS } from '@remote-help/events';
import { EventPipeline } from '@remote-help/service-kit';
import { EntityManager } from 'typeorm';
import { DirectoryStore } from './directory-store';

/**
 * Keeps this service's copy of the directory and settings current from tenant-service's events
 * (each applied in the transaction that records the event as processed, so a redelivered event
 * changes nothing; the store's version checks make replays out of order harmless too). The
 * events come parsed against their contracts (EventPipeline): one that does not parse went to the
 * dead-letter topic instead.
 */
@Injectable()
export class DirectoryEventsConsumer implements OnModuleInit {
  constructor(
    private readonly pipeline: EventPipeline,
    private readonly store: DirectoryStore,
  ) {}

  onModuleInit() {
    this.pipeline.register({ name: 'directory', topics: [TOPICS.tenant], handler: (event, manager) => applyDirectoryEvent(this.store, event, manager) });
  }
}

/** Applies one event of TOPICS.tenant to the local copy; other event types are ignored. */
export async function applyDirectoryEvent(store: DirectoryStore, event: CatalogueEvent, m: EntityManager): Promise<void> {
  switch (event.type) {
    case DIRECTORY_EVENTS.tenantCreated:
      return store.tenantCreated(m, event.data);
    case DIRECTORY_EVENTS.settingsUpdated:
      return store.settingsUpdated(m, event.data);
    case DIRECTORY_EVENTS.userUpserted:
    case DIRECTORY_EVENTS.licenseAssigned:
      return store.userUpserted(m, event.data);
    case DIRECTORY_EVENTS.deviceUpserted:
      return store.deviceUpserted(m, event.data);
    case DIRECTORY_EVENTS.groupCreated:
      return store.groupCreated(m, event.data);
    case DIRECTORY_EVENTS.groupMembersAdded:
      return store.membersAdded(m, event.data);
    case DIRECTORY_EVENTS.groupMembersRemoved:
      return store.membersRemoved(m, event.data);
    default:
      return;
  }
}
