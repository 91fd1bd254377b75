import { parseEvent, SESSION_EVENTS, type SessionEventType, TOPICS } from '@remote-help/events';
import type { ServiceOptions } from '@remote-help/service-kit';
import type { DataSource, EntityManager } from 'typeorm';
import { fromRow } from './session-record';
import { SessionEvents, SYSTEM_ACTOR } from './session-events';

const T = '11111111-1111-4111-8111-111111111111';
const H = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';

const row = {
  id: '99999999-9999-4999-8999-999999999999',
  tenant_id: T,
  helper_id: H,
  sharer_id: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
  device_id: 'dddddddd-dddd-4ddd-8ddd-dddddddddddd',
  mode: 'FULL_CONTROL',
  requested_mode: 'VIEW_ONLY',
  state: 'ENDED',
  elevated: true,
  chat_enabled: true,
  chat_used: true,
  reason: 'INC-42',
  platform: 'WINDOWS',
  device_enrolled: false,
  device_compliance: 'NONCOMPLIANT',
  pending_control_request: null,
  code_hash: null,
  code_expires_at: null,
  due_at: null,
  helper_seen_at: null,
  sharer_seen_at: null,
  requested_at: new Date('2026-01-01T10:00:00Z'),
  started_at: new Date('2026-01-01T10:01:00Z'),
  ended_at: new Date('2026-01-01T10:30:00Z'),
  end_reason: 'HELPER_ENDED',
  version: 9,
};

/** A manager inside a transaction that keeps the outbox rows written through it (writeToOutbox's statement). */
function recordingManager() {
  const payloads: unknown[] = [];
  const manager = {
    queryRunner: { isTransactionActive: true },
    query: async (_sql: string, params: unknown[]) => {
      for (const p of params) if (typeof p === 'string' && p.startsWith('{')) payloads.push(JSON.parse(p)); // the events (JSON), beside ids, topics and keys
      return [];
    },
  } as unknown as EntityManager;
  return { manager, payloads };
}

describe('the events session-service makes', () => {
  const options = { name: 'session-service' } as ServiceOptions;

  it('every lifecycle event type, as its consumers parse it back (the same contract on both sides)', async () => {
    const { manager, payloads } = recordingManager();
    const events = new SessionEvents(options, {} as DataSource);
    const types = Object.values(SESSION_EVENTS) as SessionEventType[];
    for (const type of types) await events.transitioned(manager, fromRow(row), type, 'End remote help session', { id: H, kind: 'user' });
    expect(payloads.map((p) => (p as { type: string }).type)).toEqual(types);
    for (const p of payloads) expect(parseEvent(p as never, TOPICS.session)).toEqual(p);
    expect(payloads[0]).toMatchObject({ source: 'session-service', tenantId: T, subject: row.id, data: { actorId: H, audit: { category: 'RemoteHelp', actorKind: 'user' } } });
  });

  it('an audit event of its own, as its consumers parse it back', async () => {
    const { manager, payloads } = recordingManager();
    const dataSource = { transaction: (work: (m: EntityManager) => Promise<unknown>) => work(manager) } as unknown as DataSource;
    await new SessionEvents(options, dataSource).audit(T, SYSTEM_ACTOR, 'Expire remote help session', row.id, 'Failure', 'CONFLICT: gone');
    expect(payloads).toHaveLength(1);
    expect(parseEvent(payloads[0] as never, TOPICS.audit)).toEqual(payloads[0]);
  });
});
