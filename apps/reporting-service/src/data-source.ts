import { EVENTS_ENTITIES, EventsInfrastructure1700000000000 } from '@remote-help/events';
import { InitialReporting1764000000000 } from './migrations/1764000000000-initial-reporting';
import { ActiveSessionEntity } from './monitor/active-session.entity';

/** Entities and migrations, imported explicitly (no globs). */
export const ENTITIES = [...EVENTS_ENTITIES, ActiveSessionEntity];
export const MIGRATIONS = [EventsInfrastructure1700000000000, InitialReporting1764000000000];
