/**
 * reporting-service's events on `TOPICS.reporting`: facts derived from the session stream that
 * live dashboards want, computed once per change (the gateway pushes them as they are).
 * subject = tenant id.
 */
export const REPORTING_EVENTS = {
  activeSessionCountChanged: 'reporting.active-session-count.changed',
} as const;

export interface ActiveSessionCountData {
  tenantId: string;
  count: number;
  /** ISO time of the change */
  at: string;
}
