import { parseAccessAnswer } from './access-answer';

const device = {
  id: 'd1',
  tenantId: 't',
  platform: 'WINDOWS',
  osVersion: '10.0.22631',
  manufacturer: null,
  enrolled: true,
  entraRegistered: true,
  compliance: 'NONCOMPLIANT',
  primaryUserId: 'u1',
  version: 1,
  groupIds: [],
};

describe("rbac-service's access answer", () => {
  it('reads the decision, the device and the chat setting', () => {
    const a = parseAccessAnswer({
      decision: { allowed: false, reasons: ['MISSING_PERMISSION', 'TARGET_OUT_OF_SCOPE'], grantedPermissions: ['VIEW_SCREEN'] },
      device,
      tenant: { id: 't', cloud: 'COMMERCIAL', remoteHelpEnabled: true, allowUnenrolledDevices: false, chatDisabled: true, settingsVersion: 4 },
      helper: null,
      targetUser: null,
    });
    // an rbac-service that predates approvals sends no approval part: none is needed
    expect(a.decision).toEqual({ allowed: false, reasons: ['MISSING_PERMISSION', 'TARGET_OUT_OF_SCOPE'], grantedPermissions: ['VIEW_SCREEN'], approvalRequiredFor: [], approvalGates: [] });
    expect(a.device).toMatchObject({ id: 'd1', platform: 'WINDOWS', compliance: 'NONCOMPLIANT', primaryUserId: 'u1', enrolled: true });
    expect(a.tenant).toEqual({ chatDisabled: true, settingsVersion: 4 });
  });

  it('reads the approval part: the gated permissions of the mode, and every gate with its approver groups', () => {
    const decision = {
      allowed: true,
      reasons: [],
      grantedPermissions: ['VIEW_SCREEN', 'TAKE_FULL_CONTROL', 'ELEVATION', 'OFFER_REMOTE_ASSISTANCE'],
      approvalRequiredFor: ['TAKE_FULL_CONTROL'],
      approvalGates: [
        { permission: 'TAKE_FULL_CONTROL', approverGroupIds: ['g1'] },
        { permission: 'ELEVATION', approverGroupIds: ['g1', 'g2'] },
      ],
    };
    expect(parseAccessAnswer({ decision, device, tenant: null }).decision).toEqual(decision);
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
    ['an unknown gated permission', { decision: { allowed: true, reasons: [], grantedPermissions: [], approvalRequiredFor: ['GOD_MODE'] } }],
    ['approver groups that are not ids', { decision: { allowed: true, reasons: [], grantedPermissions: [], approvalGates: [{ permission: 'ELEVATION', approverGroupIds: [7] }] } }],
    ['a gate of an unknown permission', { decision: { allowed: true, reasons: [], grantedPermissions: [], approvalGates: [{ permission: 'GOD_MODE', approverGroupIds: [] }] } }],
    ['gates that are not a list', { decision: { allowed: true, reasons: [], grantedPermissions: [], approvalGates: {} } }],
    ['a malformed device', { decision: { allowed: true, reasons: [], grantedPermissions: [] }, device: { id: 'd1', platform: 'AMIGA' } }],
  ])('refuses %s (fail closed)', (_what, body) => {
    expect(() => parseAccessAnswer(body)).toThrow();
  });
});
