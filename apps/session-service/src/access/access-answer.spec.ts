import { parseAccessAnswer } from './access-answer';

const device = { id: 'd1', tenantId: 't', platform: 'WINDOWS', osVersion: '10.0.22631', manufacturer: null, enrolled: true, entraRegistered: true, compliance: 'NONCOMPLIANT', primaryUserId: 'u1', version: 1, groupIds: [] };

describe("rbac-service's access answer", () => {
  it('reads the decision, the device and the chat setting', () => {
    const a = parseAccessAnswer({
      decision: { allowed: false, reasons: ['MISSING_PERMISSION', 'TARGET_OUT_OF_SCOPE'], grantedPermissions: ['VIEW_SCREEN'] },
      device,
      tenant: { id: 't', cloud: 'COMMERCIAL', remoteHelpEnabled: true, allowUnenrolledDevices: false, chatDisabled: true, settingsVersion: 4 },
      helper: null,
      targetUser: null,
    });
    expect(a.decision).toEqual({ allowed: false, reasons: ['MISSING_PERMISSION', 'TARGET_OUT_OF_SCOPE'], grantedPermissions: ['VIEW_SCREEN'] });
    expect(a.device).toMatchObject({ id: 'd1', platform: 'WINDOWS', compliance: 'NONCOMPLIANT', primaryUserId: 'u1', enrolled: true });
    expect(a.tenant).toEqual({ chatDisabled: true, settingsVersion: 4 });
  });

  it('accepts an unknown device and tenant', () => {
    const a = parseAccessAnswer({ decision: { allowed: false, reasons: ['CROSS_TENANT'], grantedPermissions: [] }, device: null, tenant: null });
    expect(a.device).toBeNull();
    expect(a.tenant).toBeNull();
  });

  it.each([
    ['nothing', null],
    ['no decision', { device }],
    ['allowed with reasons', { decision: { allowed: true, reasons: ['CROSS_TENANT'], grantedPermissions: [] } }],
    ['denied without reasons', { decision: { allowed: false, reasons: [], grantedPermissions: [] } }],
    ['an unknown reason', { decision: { allowed: false, reasons: ['BAD_LUCK'], grantedPermissions: [] } }],
    ['an unknown permission', { decision: { allowed: true, reasons: [], grantedPermissions: ['GOD_MODE'] } }],
    ['a malformed device', { decision: { allowed: true, reasons: [], grantedPermissions: [] }, device: { id: 'd1', platform: 'AMIGA' } }],
  ])('refuses %s (fail closed)', (_what, body) => {
    expect(() => parseAccessAnswer(body)).toThrow();
  });
});
