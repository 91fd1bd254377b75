import { EVENTS_ENTITIES, EVENTS_MIGRATIONS } from '@remote-help/events';
import { InitialSessions1764000000000 } from './migrations/1764000000000-initial-sessions';
import { SessionLifecycle1764200000000 } from './migrations/1764200000000-session-lifecycle';
import { JoinFailureEntity } from './session/join-failure.entity';
import { SessionEntity } from './session/session.entity';
import { TenantSettingsEntity } from './tenant-settings/tenant-settings.entity';

/** Entities and migrations, imported explicitly (no globs). */
export const ENTITIES = [...EVENTS_ENTITIES, SessionEntity, TenantSettingsEntity, JoinFailureEntity];
export const MIGRATIONS = [...EVENTS_MIGRATIONS, InitialSessions1764000000000, SessionLifecycle1764200000000];
