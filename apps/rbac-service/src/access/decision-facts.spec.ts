import { decideRemoteHelpAccess, DenialReason as R, RemoteHelpPermission as P, SessionMode } from '@remote-help/domain';
import type { AssignmentRow, DecisionFacts, DeviceRow, UserRow } from './decision-facts';
import { toDecisionInput, UNKNOWN_TENANT } from './decision-facts';

const T = '11111111-1111-4111-8111-111111111111';
const OTHER = '99999999-9999-4999-8999-999999999999';
const now = new Date('2026-06-01T12:00:00Z');
const licensed = [{ kind: 'REMOTE_HELP_ADDON', activeFrom: '2026-01-01T00:00:00.000Z', expiresAt: null }];

const helper: UserRow = { id: 'h', tenant_id: T, user_principal_name: 'h@c.com', display_name: 'H', licenses: licensed, group_ids: ['helpers'] };
const sharer: UserRow = { id: 's', tenant_id: T, user_principal_name: 's@c.com', display_name: 'S', licenses: licensed, group_ids: ['staff'] };
const device: DeviceRow = {
  id: 'd',
  tenant_id: T,
  display_name: 'PC',
  platform: 'WINDOWS',
  os_version: '10.0.22631',
  manufacturer: 'Contoso',
  enrolled: true,
  entra_registered: true,
  compliance: 'COMPLIANT',
  primary_user_id: 's',
  version: 1,
  group_ids: ['pcs'],
};
const viewer: AssignmentRow = {
  id: 'a1',
  permissions: [P.VIEW_SCREEN, P.OFFER_REMOTE_ASSISTANCE],
  admin_group_ids: ['helpers'],
  scope_group_ids: ['pcs', 'staff'],
  scope_all_users: false,
  scope_all_devices: false,
  approval_required_for: [],
  approver_group_ids: [],
};
const facts = (over: Partial<DecisionFacts> = {}): DecisionFacts => ({
  tenant: { id: T, display_name: 'Contoso', cloud: 'COMMERCIAL', remote_help_enabled: true, allow_unenrolled_devices: false, chat_disabled: false, settings_version: 2 },
  helper,
  device,
  targetUser: sharer,
  assignments: [viewer],
  ...over,
});
const decide = (f: DecisionFacts, mode = SessionMode.VIEW_ONLY, targetUserId?: string) => decideRemoteHelpAccess(toDecisionInput({ tenantId: T, mode, now, facts: f, targetUserId }));

describe('toDecisionInput', () => {
  it('translates rows into the decision input (dates, enums, groups)', () => {
    const input = toDecisionInput({ tenantId: T, mode: SessionMode.VIEW_ONLY, now, facts: facts() });
    expect(input.tenant).toEqual({ id: T, cloud: 'COMMERCIAL', remoteHelpEnabled: true, allowUnenrolledDevices: false, requireReason: false });
    expect(input.helper).toEqual({ id: 'h', tenantId: T, licenses: [{ kind: 'REMOTE_HELP_ADDON', activeFrom: new Date('2026-01-01T00:00:00Z'), expiresAt: null }], groupIds: ['helpers'] });
    expect(input.device).toMatchObject({ id: 'd', platform: 'WINDOWS', entraRegistered: true, primaryUserId: 's', groupIds: ['pcs'] });
    expect(input.targetUser?.id).toBe('s');
    expect(input.assignments).toEqual([
      {
        id: 'a1',
        permissions: [P.VIEW_SCREEN, P.OFFER_REMOTE_ASSISTANCE],
        adminGroupIds: ['helpers'],
        scopeGroupIds: ['pcs', 'staff'],
        scopeAllUsers: false,
        scopeAllDevices: false,
        approvalRequiredFor: [],
        approverGroupIds: [],
      },
    ]);
    expect('complianceAcknowledged' in input).toBe(false);
    expect(toDecisionInput({ tenantId: T, mode: SessionMode.VIEW_ONLY, now, facts: facts(), complianceAcknowledged: false }).complianceAcknowledged).toBe(false);
  });

  it('treats a device of another tenant as unknown', () => {
    const input = toDecisionInput({ tenantId: T, mode: SessionMode.VIEW_ONLY, now, facts: facts({ device: { ...device, tenant_id: OTHER } }) });
    expect(input.device).toBeNull();
    expect(input.targetUser).toBeNull();
  });

  it("passes an assignment's approval settings to the decision, which reports them", () => {
    const gated = { ...viewer, approval_required_for: [P.VIEW_SCREEN], approver_group_ids: ['leads'] };
    expect(toDecisionInput({ tenantId: T, mode: SessionMode.VIEW_ONLY, now, facts: facts({ assignments: [gated] }) }).assignments[0]).toMatchObject({ approvalRequiredFor: [P.VIEW_SCREEN], approverGroupIds: ['leads'] });
    expect(decide(facts({ assignments: [gated] }))).toMatchObject({ allowed: true, approvalRequiredFor: [P.VIEW_SCREEN], approvalGates: [{ permission: P.VIEW_SCREEN, approverGroupIds: ['leads'] }] });
  });

  it('gives no assignments to a helper of another tenant', () => {
    expect(toDecisionInput({ tenantId: T, mode: SessionMode.VIEW_ONLY, now, facts: facts({ helper: { ...helper, tenant_id: OTHER } }) }).assignments).toEqual([]);
  });

  it('never mistakes an unknown sharer for "no user at the device"', () => {
    const input = toDecisionInput({ tenantId: T, mode: SessionMode.VIEW_ONLY, now, facts: facts({ device: { ...device, primary_user_id: null }, targetUser: null }), targetUserId: 'ghost' });
    expect(input.targetUser).toEqual({ id: 'ghost', tenantId: UNKNOWN_TENANT, licenses: [], groupIds: [] });
  });
});

describe('decisions on the local copy', () => {
  it('allows viewing a device in scope, with the granted permissions', () => {
    expect(decide(facts())).toEqual({ allowed: true, reasons: [], grantedPermissions: [P.VIEW_SCREEN, P.OFFER_REMOTE_ASSISTANCE], approvalRequiredFor: [], approvalGates: [] });
  });

  it('denies full control with MISSING_PERMISSION', () => {
    expect(decide(facts(), SessionMode.FULL_CONTROL).reasons).toEqual([R.MISSING_PERMISSION]);
  });

  it('denies a device out of scope with TARGET_OUT_OF_SCOPE', () => {
    expect(decide(facts({ device: { ...device, group_ids: ['elsewhere'] } })).reasons).toEqual([R.TARGET_OUT_OF_SCOPE]);
  });

  it('fails closed when the primary user is not in the copy yet', () => {
    const d = decide(facts({ targetUser: null }));
    expect(d.allowed).toBe(false);
    expect(d.reasons).toContain(R.SHARER_NOT_LICENSED);
  });

  it('says CROSS_TENANT for a sharer of another tenant', () => {
    expect(decide(facts({ targetUser: { ...sharer, tenant_id: OTHER } }), SessionMode.VIEW_ONLY, 's').reasons).toContain(R.CROSS_TENANT);
  });

  it('fails closed without the tenant settings', () => {
    expect(decide(facts({ tenant: null })).reasons).toContain(R.REMOTE_HELP_DISABLED);
  });
});
