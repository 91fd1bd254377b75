import { EVENTS_ENTITIES, EVENTS_MIGRATIONS } from '@remote-help/events';
import { InitialReporting1764000000000 } from './migrations/1764000000000-initial-reporting';
import { ReportingRecords1764200000000 } from './migrations/1764200000000-reporting-records';
import { ExportTickets1765000000000 } from './migrations/1765000000000-export-tickets';

/**
 * Entities and migrations, imported explicitly (no globs). reporting-service reads and writes its
 * own tables with SQL (set-based updates, keyset paging); their definitions are the migrations.
 */
export const ENTITIES = [...EVENTS_ENTITIES];
export const MIGRATIONS = [...EVENTS_MIGRATIONS, InitialReporting1764000000000, ReportingRecords1764200000000, ExportTickets1765000000000];
