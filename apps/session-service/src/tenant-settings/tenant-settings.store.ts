import { Injectable, OnModuleInit } from '@nestjs/common';
import { type CatalogueEvent, DIRECTORY_EVENTS, isEventOf, TOPICS } from '@remote-help/events';
import { EventPipeline } from '@remote-help/service-kit';
import { EntityManager } from 'typeorm';

/** A tenant.settings.updated snapshot, reduced to what this service keeps. */
export interface ChatSetting {
  tenantId: string;
  chatDisabled: boolean;
  version: number;
}

/** The chat setting of a tenant.settings.updated event (parsed by its contract), or null for another event. */
export function chatSettingOf(event: CatalogueEvent): ChatSetting | null {
  if (!isEventOf(event, DIRECTORY_EVENTS.settingsUpdated)) return null;
  const { tenantId, chatDisabled, version } = event.data;
  return { tenantId, chatDisabled, version };
}

/** What keeps the newer of two settings (the stored one, or EXCLUDED): also used by INSERT_SESSION_SQL. */
export const KEEP_NEWER_SETTING = `ON CONFLICT (tenant_id) DO UPDATE SET chat_disabled = EXCLUDED.chat_disabled, version = EXCLUDED.version, updated_at = now()
  WHERE tenant_settings.version < EXCLUDED.version`;

/** Stores a setting if it is newer than the one kept ($1 tenant, $2 chat disabled, $3 version). */
const UPSERT_SETTING = `INSERT INTO tenant_settings (tenant_id, chat_disabled, version, updated_at) VALUES ($1, $2, $3, now())
  ${KEEP_NEWER_SETTING}`;

/**
 * This service's copy of each tenant's "Disable chat" setting, from tenant-service's
 * tenant.settings.updated snapshots (applied only when newer). A tenant this copy does not know
 * yet counts as chat disabled (fail closed). rbac-service's answer to an access decision also
 * carries the setting with its version; a newer one from there is applied too, so that a
 * session requested right after a settings change sees it even if this consumer lags (in the
 * statement that inserts the session: INSERT_SESSION_SQL in session/session-sql.ts).
 */
@Injectable()
export class TenantSettingsStore implements OnModuleInit {
  constructor(private readonly pipeline: EventPipeline) {}

  onModuleInit() {
    this.pipeline.register({
      name: 'tenant-settings',
      topics: [TOPICS.tenant],
      // Events come parsed by their contracts (EventPipeline): unusable data went to the dead-letter topic.
      handler: async (event, manager) => {
        const setting = chatSettingOf(event);
        if (setting) await this.apply(manager, setting);
      },
    });
  }

  /** Stores the setting if it is newer than the one kept (a replayed or older snapshot changes nothing). */
  async apply(m: EntityManager, s: ChatSetting): Promise<void> {
    await m.query(UPSERT_SETTING, [s.tenantId, s.chatDisabled, s.version]);
  }
}
