import { EVENTS_ENTITIES, EventsInfrastructure1700000000000 } from '@remote-help/events';
import { InitialRoles1764000000000 } from './migrations/1764000000000-initial-roles';
import { RoleEntity } from './role/role.entity';

/** Entities and migrations, imported explicitly (no globs). */
export const ENTITIES = [...EVENTS_ENTITIES, RoleEntity];
export const MIGRATIONS = [EventsInfrastructure1700000000000, InitialRoles1764000000000];
