import { parseEvent, REPORTING_EVENTS, TOPICS } from '@remote-help/events';
import type { EntityManager } from 'typeorm';
import { changeActiveCountSteps } from './active-count';

const T = '11111111-1111-4111-8111-111111111111';

describe('the active session count events', () => {
  it('are made so that their consumers (the gateway) parse them back unchanged, one per change', async () => {
    const payloads: unknown[] = [];
    const manager = {
      queryRunner: { isTransactionActive: true },
      query: async (sql: string, params: unknown[]) => {
        if (sql.includes('active_session_counts')) return [{ active_sessions: 3 }];
        for (const p of params) if (typeof p === 'string' && p.startsWith('{')) payloads.push(JSON.parse(p));
        return [];
      },
    } as unknown as EntityManager;
    const at = new Date('2026-03-01T10:00:00Z');
    expect(await changeActiveCountSteps(manager, T, [1, 1, 1], at)).toEqual([1, 2, 3].map((count) => ({ tenantId: T, count, at: at.toISOString() })));
    expect(payloads).toHaveLength(3);
    for (const p of payloads) {
      expect(p).toMatchObject({ type: REPORTING_EVENTS.activeSessionCountChanged, subject: T, tenantId: T });
      expect(parseEvent(p as never, TOPICS.reporting)).toEqual(p);
    }
  });
});
