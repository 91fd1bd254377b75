import { EVENTS_ENTITIES, EventsInfrastructure1700000000000 } from '@remote-help/events';
import { InitialSessions1764000000000 } from './migrations/1764000000000-initial-sessions';
import { SessionEntity } from './session/session.entity';

/** Entities and migrations, imported explicitly (no globs). */
export const ENTITIES = [...EVENTS_ENTITIES, SessionEntity];
export const MIGRATIONS = [EventsInfrastructure1700000000000, InitialSessions1764000000000];
