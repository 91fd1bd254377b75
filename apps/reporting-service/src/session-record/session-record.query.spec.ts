import { SessionMode } from '@remote-help/domain';
import { filtersById, sessionQuery, sessionWhere } from './session-record.query';

const T = '11111111-1111-4111-8111-111111111111';
const U = 'AAAAAAAA-1111-4111-8111-111111111111';

describe('sessionQuery', () => {
  it('confines an empty filter to the tenant', () => {
    expect(sessionWhere(sessionQuery(T, null))).toEqual({ sql: 's.tenant_id = $1', params: [T] });
  });

  it('puts every condition in a parameter, tenant first', () => {
    const from = new Date('2026-01-01T00:00:00Z');
    const to = new Date('2026-02-01T00:00:00Z');
    const q = sessionQuery(T, { from, to, providerId: U, recipientId: U, deviceId: U, sessionType: SessionMode.UNATTENDED });
    const id = U.toLowerCase();
    expect(sessionWhere(q)).toEqual({
      sql: 's.tenant_id = $1 AND s.helper_id = $2 AND s.sharer_id = $3 AND s.device_id = $4 AND s.session_type = $5 AND s.requested_at >= $6 AND s.requested_at < $7',
      params: [T, id, id, id, SessionMode.UNATTENDED, from, to],
    });
  });

  it('pages on (requestedAt, sessionId), newest first', () => {
    const at = new Date('2026-01-10T00:00:00Z');
    expect(sessionWhere(sessionQuery(T, { sessionType: SessionMode.VIEW_ONLY }), { at, id: U })).toEqual({
      sql: 's.tenant_id = $1 AND s.session_type = $2 AND (s.requested_at, s.session_id) < ($3, $4)',
      params: [T, SessionMode.VIEW_ONLY, at, U],
    });
  });

  it('refuses ids that are not ids, and from after to', () => {
    expect(() => sessionQuery(T, { providerId: "1' OR 1=1" })).toThrow(/providerId is not a valid id/);
    expect(() => sessionQuery(T, { deviceId: '' })).toThrow(/deviceId is not a valid id/);
    expect(() => sessionQuery(T, { from: new Date('2026-02-01'), to: new Date('2026-01-01') })).toThrow(/from must not be after/);
  });

  it('says when counts must come from the records rather than the daily totals', () => {
    expect(filtersById(sessionQuery(T, { sessionType: SessionMode.VIEW_ONLY, from: new Date() }))).toBe(false);
    expect(filtersById(sessionQuery(T, { recipientId: U }))).toBe(true);
  });
});
