import { z } from 'zod';
import { id, time } from './schema-fields';

/**
 * reporting-service's events on `TOPICS.reporting`: facts derived from the session stream that
 * live dashboards want, computed once per change (the gateway pushes them as they are).
 * subject = tenant id.
 */
export const REPORTING_EVENTS = {
  activeSessionCountChanged: 'reporting.active-session-count.changed',
} as const;

export const ActiveSessionCountSchema = z.object({
  tenantId: id(),
  count: z.int(),
  /** when reporting-service applied the change (the dashboards' clock of the count) */
  at: time(),
});
export type ActiveSessionCountData = z.output<typeof ActiveSessionCountSchema>;
