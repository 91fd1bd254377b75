import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DIRECTORY_EVENTS, EventEnvelope, TOPICS } from '@remote-help/events';
import { EventPipeline } from '@remote-help/service-kit';
import { EntityManager } from 'typeorm';
import {
  DirectoryDataError,
  parseDevice,
  parseGroupCreated,
  parseMembersChanged,
  parseSettings,
  parseTenantCreated,
  parseUser,
} from './directory-event-data';
import { DirectoryStore } from './directory-store';

/**
 * Keeps this service's copy of the directory and settings current from tenant-service's events
 * (each applied in the transaction that records the event as processed, so a redelivered event
 * changes nothing; the store's version checks make replays out of order harmless too).
 */
@Injectable()
export class DirectoryEventsConsumer implements OnModuleInit {
  private readonly log = new Logger('DirectoryEvents');

  constructor(
    private readonly pipeline: EventPipeline,
    private readonly store: DirectoryStore,
  ) {}

  onModuleInit() {
    this.pipeline.register({ name: 'directory', topics: [TOPICS.tenant], handler: (event, manager) => this.handle(event, manager) });
  }

  async handle(event: EventEnvelope, manager: EntityManager): Promise<void> {
    try {
      await applyDirectoryEvent(this.store, event, manager);
    } catch (e) {
      // Malformed data would fail again on every retry: log it and go on.
      if (e instanceof DirectoryDataError) {
        this.log.warn(`skipped ${event.type} ${event.id}: ${e.message}`);
        return;
      }
      throw e;
    }
  }
}

/** Applies one event of TOPICS.tenant to the local copy; other event types are ignored. */
export async function applyDirectoryEvent(store: DirectoryStore, event: EventEnvelope, m: EntityManager): Promise<void> {
  switch (event.type) {
    case DIRECTORY_EVENTS.tenantCreated:
      return store.tenantCreated(m, parseTenantCreated(event.data, event.tenantId));
    case DIRECTORY_EVENTS.settingsUpdated:
      return store.settingsUpdated(m, parseSettings(event.data, event.tenantId));
    case DIRECTORY_EVENTS.userUpserted:
    case DIRECTORY_EVENTS.licenseAssigned:
      return store.userUpserted(m, parseUser(event.data, event.tenantId));
    case DIRECTORY_EVENTS.deviceUpserted:
      return store.deviceUpserted(m, parseDevice(event.data, event.tenantId));
    case DIRECTORY_EVENTS.groupCreated:
      return store.groupCreated(m, parseGroupCreated(event.data, event.tenantId));
    case DIRECTORY_EVENTS.groupMembersAdded:
      return store.membersAdded(m, parseMembersChanged(event.data, event.tenantId));
    case DIRECTORY_EVENTS.groupMembersRemoved:
      return store.membersRemoved(m, parseMembersChanged(event.data, event.tenantId));
    default:
      return;
  }
}
