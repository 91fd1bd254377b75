import { type ActiveSessionCountData, buildEvent, REPORTING_EVENTS, TOPICS, writeToOutbox } from '@remote-help/events';
import type { EntityManager } from 'typeorm';
import { SERVICE_NAME } from '../config';

/**
 * Changes a tenant's active session count by `delta` and publishes the new count
 * (`reporting.active-session-count.changed` on TOPICS.reporting, through the outbox) in the
 * caller's transaction. The count row is locked by the update, so concurrent changes of one
 * tenant are serialised and every published count is exact: computed once per change, here.
 * `at` is when this service applied the change (the dashboards' clock of the count).
 */
export async function changeActiveCount(m: EntityManager, tenantId: string, delta: number, at: Date): Promise<ActiveSessionCountData> {
  return (await changeActiveCountSteps(m, tenantId, [delta], at))[0];
}

/**
 * Several changes of a tenant's count in one go (a batch of session events), in order: one
 * update of the row by their sum, and one published count per change, exactly the counts that
 * {@link changeActiveCount} would have published applying them one by one.
 */
export async function changeActiveCountSteps(m: EntityManager, tenantId: string, deltas: number[], at: Date): Promise<ActiveSessionCountData[]> {
  if (deltas.length === 0) return [];
  const net = deltas.reduce((a, d) => a + d, 0);
  const rows: { active_sessions: number }[] = await m.query(
    `INSERT INTO active_session_counts (tenant_id, active_sessions, changed_at) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id) DO UPDATE SET active_sessions = active_session_counts.active_sessions + EXCLUDED.active_sessions, changed_at = EXCLUDED.changed_at
     RETURNING active_sessions`,
    [tenantId, net, at],
  );
  let count = rows[0].active_sessions - net;
  const published = deltas.map((d) => ({ tenantId, count: (count += d), at: at.toISOString() }));
  await writeToOutbox(
    m,
    TOPICS.reporting,
    published.map((data) => buildEvent(REPORTING_EVENTS.activeSessionCountChanged, { source: SERVICE_NAME, tenantId, subject: tenantId, data })),
  );
  return published;
}
