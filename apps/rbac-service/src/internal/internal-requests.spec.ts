import { parseAccessDecisionRequest, parseAdminPermissionsRequest } from './internal-requests';

const T = '11111111-1111-4111-8111-111111111111';
const U = '22222222-2222-4222-8222-222222222222';

describe('internal request bodies', () => {
  it('reads an admin-permissions request', () => {
    expect(parseAdminPermissionsRequest({ tenantId: T.toUpperCase(), userId: U })).toEqual({ ok: true, value: { tenantId: T, userId: U } });
    expect(parseAdminPermissionsRequest({ tenantId: T })).toEqual({ ok: false, error: 'userId must be a UUID' });
    expect(parseAdminPermissionsRequest([])).toEqual({ ok: false, error: 'the body must be a JSON object' });
  });

  it('reads an access-decisions request', () => {
    expect(parseAccessDecisionRequest({ tenantId: T, helperId: U, deviceId: 'd', mode: 'VIEW_ONLY' })).toEqual({
      ok: true,
      value: { tenantId: T, helperId: U, deviceId: 'd', mode: 'VIEW_ONLY', targetUserId: null },
    });
    const full = parseAccessDecisionRequest({ tenantId: T, helperId: U, deviceId: U, mode: 'FULL_CONTROL', targetUserId: U, complianceAcknowledged: false, reasonGiven: false });
    expect(full).toEqual({ ok: true, value: { tenantId: T, helperId: U, deviceId: U, mode: 'FULL_CONTROL', targetUserId: U, complianceAcknowledged: false, reasonGiven: false } });
  });

  it('names what is wrong', () => {
    expect(parseAccessDecisionRequest({ tenantId: T, helperId: U, deviceId: U, mode: 'SPY' })).toMatchObject({ ok: false, error: expect.stringMatching(/^mode must be one of/) });
    expect(parseAccessDecisionRequest({ tenantId: 'x', helperId: U, deviceId: U, mode: 'VIEW_ONLY' })).toEqual({ ok: false, error: 'tenantId must be a UUID' });
    expect(parseAccessDecisionRequest({ tenantId: T, deviceId: U, mode: 'VIEW_ONLY' })).toEqual({ ok: false, error: 'helperId must be a non-empty string' });
    expect(parseAccessDecisionRequest({ tenantId: T, helperId: U, deviceId: U, mode: 'VIEW_ONLY', complianceAcknowledged: 'yes' })).toEqual({ ok: false, error: 'complianceAcknowledged must be a boolean' });
    expect(parseAccessDecisionRequest({ tenantId: T, helperId: U, deviceId: U, mode: 'VIEW_ONLY', reasonGiven: 'INC-1' })).toEqual({ ok: false, error: 'reasonGiven must be a boolean' });
  });
});
