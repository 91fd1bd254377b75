import type { DecisionDevice, DecisionInput, DecisionUser } from './access-decision';
import { decideRemoteHelpAccess, requiredPermissions } from './access-decision';
import { ALL_DENIAL_REASONS, DenialReason as R } from './denial-reason';
import { CloudEnvironment, ComplianceState, LicenseKind, Platform } from './directory';
import { RemoteHelpPermission as P, ALL_REMOTE_HELP_PERMISSIONS } from './permissions';
import type { DecisionAssignment } from './scope';
import { SessionMode as M } from './sessions';

const NOW = new Date('2025-06-01T12:00:00Z');
const H = 3_600_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);
const ACTIVE = { kind: LicenseKind.REMOTE_HELP_ADDON, activeFrom: at(-H), expiresAt: null };
const PENDING = { kind: LicenseKind.INTUNE_SUITE, activeFrom: at(2 * H), expiresAt: null };
const EXPIRED = { kind: LicenseKind.INTUNE_SUITE, activeFrom: at(-48 * H), expiresAt: at(-H) };

const ALL = [...ALL_REMOTE_HELP_PERMISSIONS];
/** A decision's approval part when no assignment is gated. */
const NO_APPROVAL = { approvalRequiredFor: [], approvalGates: [] };

function assignment(id: string, permissions: P[], scope: Partial<DecisionAssignment> = {}): DecisionAssignment {
  return { id, permissions, adminGroupIds: ['helpers'], scopeGroupIds: ['scope'], scopeAllUsers: false, scopeAllDevices: false, ...scope };
}

/** An allowed full-control request: every rule satisfied. */
function baseline(): DecisionInput {
  const helper: DecisionUser = { id: 'helper', tenantId: 't1', licenses: [ACTIVE], groupIds: ['helpers'] };
  const sharer: DecisionUser = { id: 'sharer', tenantId: 't1', licenses: [ACTIVE], groupIds: ['scope'] };
  const device: DecisionDevice = {
    id: 'pc',
    tenantId: 't1',
    platform: Platform.WINDOWS,
    osVersion: '10.0.22631',
    manufacturer: 'Dell',
    enrolled: true,
    entraRegistered: true,
    compliance: ComplianceState.COMPLIANT,
    primaryUserId: 'sharer',
    groupIds: ['scope'],
  };
  return {
    now: NOW,
    mode: M.FULL_CONTROL,
    tenant: { id: 't1', cloud: CloudEnvironment.COMMERCIAL, remoteHelpEnabled: true, allowUnenrolledDevices: false },
    helper,
    device,
    targetUser: sharer,
    assignments: [assignment('help-desk', ALL)],
  };
}

/** An allowed unattended request on a Samsung dedicated device with no user. */
function unattendedBaseline(): DecisionInput {
  const b = baseline();
  return {
    ...b,
    mode: M.UNATTENDED,
    device: { ...b.device!, platform: Platform.ANDROID_DEDICATED, osVersion: '14', manufacturer: 'Samsung', primaryUserId: null },
    targetUser: null,
  };
}

type Change = (i: DecisionInput) => DecisionInput;
const tenant =
  (c: Partial<NonNullable<DecisionInput['tenant']>>): Change =>
  (i) => ({ ...i, tenant: { ...i.tenant!, ...c } });
const helper =
  (c: Partial<DecisionUser>): Change =>
  (i) => ({ ...i, helper: { ...i.helper!, ...c } });
const sharer =
  (c: Partial<DecisionUser>): Change =>
  (i) => ({ ...i, targetUser: { ...i.targetUser!, ...c } });
const device =
  (c: Partial<DecisionDevice>): Change =>
  (i) => ({ ...i, device: { ...i.device!, ...c } });
const set =
  (c: Partial<DecisionInput>): Change =>
  (i) => ({ ...i, ...c });
const all =
  (...changes: Change[]): Change =>
  (i) =>
    changes.reduce((acc, c) => c(acc), i);

describe('decideRemoteHelpAccess', () => {
  it('allows the baselines, with the permissions granted over the target', () => {
    expect(decideRemoteHelpAccess(baseline())).toEqual({ allowed: true, reasons: [], grantedPermissions: ALL, ...NO_APPROVAL });
    expect(decideRemoteHelpAccess(unattendedBaseline())).toEqual({ allowed: true, reasons: [], grantedPermissions: ALL, ...NO_APPROVAL });
  });

  /** Each reason alone: one rule broken, from an otherwise allowed baseline. */
  const alone: [R, DecisionInput][] = [
    [R.REMOTE_HELP_DISABLED, tenant({ remoteHelpEnabled: false })(baseline())],
    [R.HELPER_NOT_LICENSED, helper({ licenses: [] })(baseline())],
    [R.SHARER_NOT_LICENSED, sharer({ licenses: [EXPIRED] })(baseline())],
    [R.LICENSE_NOT_YET_ACTIVE, helper({ licenses: [PENDING] })(baseline())],
    [R.CROSS_TENANT, helper({ tenantId: 't2' })(baseline())],
    [R.UNSUPPORTED_CLOUD, tenant({ cloud: CloudEnvironment.GCC_HIGH })(baseline())],
    [R.UNSUPPORTED_PLATFORM, device({ osVersion: '6.1.7601' })(baseline())],
    [R.DEVICE_NOT_ENROLLED, device({ enrolled: false })(baseline())],
    [R.DEVICE_NOT_REGISTERED, device({ entraRegistered: false })(baseline())],
    [R.MISSING_PERMISSION, set({ assignments: [assignment('viewers', [P.VIEW_SCREEN, P.OFFER_REMOTE_ASSISTANCE])] })(baseline())],
    [R.TARGET_OUT_OF_SCOPE, device({ groupIds: ['elsewhere'] })(baseline())],
    [R.COMPLIANCE_NOT_ACKNOWLEDGED, all(device({ compliance: ComplianceState.NONCOMPLIANT }), set({ complianceAcknowledged: false }))(baseline())],
    [R.UNATTENDED_REQUIRES_NO_USER, all(device({ primaryUserId: 'sharer' }), set({ targetUser: baseline().targetUser }))(unattendedBaseline())],
    [R.REASON_REQUIRED, all(tenant({ requireReason: true }), set({ reasonGiven: false }))(baseline())],
  ];

  it('has one "alone" case for every DenialReason', () => {
    expect(alone.map(([r]) => r)).toEqual(ALL_DENIAL_REASONS);
  });

  it.each(alone)('%s alone', (reason, input) => {
    expect(decideRemoteHelpAccess(input)).toEqual(expect.objectContaining({ allowed: false, reasons: [reason] }));
  });

  /** Several rules broken at once: every reason that applies, in enum order. */
  const combinations: [string, DecisionInput, R[]][] = [
    ['disabled on a GCC High tenant', tenant({ remoteHelpEnabled: false, cloud: CloudEnvironment.DOD })(baseline()), [R.REMOTE_HELP_DISABLED, R.UNSUPPORTED_CLOUD]],
    ['unattended on a Windows device with a user', set({ mode: M.UNATTENDED })(baseline()), [R.UNSUPPORTED_PLATFORM, R.UNATTENDED_REQUIRES_NO_USER]],
    ['unlicensed helper and a sharer whose licence is pending', all(helper({ licenses: [EXPIRED] }), sharer({ licenses: [PENDING] }))(baseline()), [R.HELPER_NOT_LICENSED, R.LICENSE_NOT_YET_ACTIVE]],
    ['both licences pending: one LICENSE_NOT_YET_ACTIVE', all(helper({ licenses: [PENDING] }), sharer({ licenses: [PENDING, EXPIRED] }))(baseline()), [R.LICENSE_NOT_YET_ACTIVE]],
    [
      'a role without the permission that does not reach the device either',
      all(set({ assignments: [assignment('viewers', [P.VIEW_SCREEN, P.OFFER_REMOTE_ASSISTANCE])] }), device({ groupIds: [] }))(baseline()),
      [R.MISSING_PERMISSION, R.TARGET_OUT_OF_SCOPE],
    ],
    ['unknown device', set({ device: null })(baseline()), [R.CROSS_TENANT, R.TARGET_OUT_OF_SCOPE]],
    ['unknown helper', set({ helper: null })(baseline()), [R.HELPER_NOT_LICENSED, R.CROSS_TENANT, R.MISSING_PERMISSION]],
    ['unknown tenant', set({ tenant: null })(baseline()), [R.REMOTE_HELP_DISABLED]],
    ['unknown tenant, unenrolled device', all(set({ tenant: null }), device({ enrolled: false }))(baseline()), [R.REMOTE_HELP_DISABLED, R.DEVICE_NOT_ENROLLED]],
    ['a device with a primary user the tenant does not know', set({ targetUser: null })(baseline()), [R.SHARER_NOT_LICENSED, R.CROSS_TENANT, R.TARGET_OUT_OF_SCOPE]],
    [
      'unattended on a dedicated device whose primary user the tenant does not know',
      device({ primaryUserId: 'ghost' })(unattendedBaseline()),
      [R.SHARER_NOT_LICENSED, R.CROSS_TENANT, R.TARGET_OUT_OF_SCOPE, R.UNATTENDED_REQUIRES_NO_USER],
    ],
    ['a sharer of another tenant', sharer({ tenantId: 't2' })(baseline()), [R.CROSS_TENANT, R.TARGET_OUT_OF_SCOPE]],
    ['a device of another tenant', device({ tenantId: 't2' })(baseline()), [R.CROSS_TENANT, R.TARGET_OUT_OF_SCOPE]],
    [
      'unenrolled and non-compliant, not acknowledged, on an unsupported Android',
      all(device({ enrolled: false, compliance: ComplianceState.NONCOMPLIANT, platform: Platform.ANDROID_DEDICATED, manufacturer: 'Google' }), set({ complianceAcknowledged: false }))(baseline()),
      [R.UNSUPPORTED_PLATFORM, R.DEVICE_NOT_ENROLLED, R.COMPLIANCE_NOT_ACKNOWLEDGED],
    ],
    [
      'everything wrong at once',
      all(
        tenant({ remoteHelpEnabled: false, cloud: CloudEnvironment.GCC_HIGH }),
        helper({ licenses: [] }),
        sharer({ licenses: [PENDING], tenantId: 't2' }),
        device({ platform: Platform.OTHER, entraRegistered: false, compliance: ComplianceState.NONCOMPLIANT, groupIds: [] }),
        set({ mode: M.UNATTENDED, complianceAcknowledged: false, assignments: [assignment('viewers', [P.VIEW_SCREEN])] }),
      )(baseline()),
      [
        R.REMOTE_HELP_DISABLED,
        R.HELPER_NOT_LICENSED,
        R.LICENSE_NOT_YET_ACTIVE,
        R.CROSS_TENANT,
        R.UNSUPPORTED_CLOUD,
        R.UNSUPPORTED_PLATFORM,
        R.DEVICE_NOT_REGISTERED,
        R.MISSING_PERMISSION,
        R.TARGET_OUT_OF_SCOPE,
        R.COMPLIANCE_NOT_ACKNOWLEDGED,
        R.UNATTENDED_REQUIRES_NO_USER,
      ],
    ],
  ];

  it.each(combinations)('%s', (_name, input, reasons) => {
    const d = decideRemoteHelpAccess(input);
    expect(d.reasons).toEqual(reasons);
    expect(d.allowed).toBe(false);
  });

  describe('tenant, licences and device rules', () => {
    it('accepts the Intune Suite as well as the add-on, for helper and sharer', () => {
      const suite = { kind: LicenseKind.INTUNE_SUITE, activeFrom: at(-H), expiresAt: at(H) };
      expect(decideRemoteHelpAccess(all(helper({ licenses: [suite] }), sharer({ licenses: [suite] }))(baseline())).allowed).toBe(true);
    });

    it('needs no sharer licence on a dedicated device with no user, but checks a sharer who joined', () => {
      expect(decideRemoteHelpAccess(set({ mode: M.VIEW_ONLY })(unattendedBaseline())).allowed).toBe(true);
      const joined = set({ mode: M.VIEW_ONLY, targetUser: { ...baseline().targetUser!, licenses: [] } })(unattendedBaseline());
      expect(decideRemoteHelpAccess(joined).reasons).toEqual([R.SHARER_NOT_LICENSED]);
      // ... and refuses unattended once a user is given
      expect(decideRemoteHelpAccess(set({ targetUser: baseline().targetUser })(unattendedBaseline())).reasons).toEqual([R.UNATTENDED_REQUIRES_NO_USER]);
    });

    it('allows GCC like COMMERCIAL', () => {
      expect(decideRemoteHelpAccess(tenant({ cloud: CloudEnvironment.GCC })(baseline())).allowed).toBe(true);
    });

    it('allows an unenrolled device (registered or not) when the tenant allows them', () => {
      for (const entraRegistered of [true, false]) {
        const input = all(tenant({ allowUnenrolledDevices: true }), device({ enrolled: false, entraRegistered }))(baseline());
        expect(decideRemoteHelpAccess(input)).toEqual({ allowed: true, reasons: [], grantedPermissions: ALL, ...NO_APPROVAL });
      }
    });

    it('judges compliance only when asked, and only for NONCOMPLIANT devices', () => {
      const noncompliant = device({ compliance: ComplianceState.NONCOMPLIANT })(baseline());
      expect(decideRemoteHelpAccess(noncompliant).allowed).toBe(true);
      expect(decideRemoteHelpAccess({ ...noncompliant, complianceAcknowledged: true }).allowed).toBe(true);
      expect(decideRemoteHelpAccess({ ...noncompliant, complianceAcknowledged: false }).reasons).toEqual([R.COMPLIANCE_NOT_ACKNOWLEDGED]);
      const unknown = device({ compliance: ComplianceState.UNKNOWN })(baseline());
      expect(decideRemoteHelpAccess({ ...unknown, complianceAcknowledged: false }).allowed).toBe(true);
    });
  });

  describe('required reason', () => {
    it('denies a request without a reason only where the tenant requires one, and only when the reason is judged', () => {
      const required = tenant({ requireReason: true });
      expect(decideRemoteHelpAccess(all(required, set({ reasonGiven: true }))(baseline())).allowed).toBe(true);
      expect(decideRemoteHelpAccess(required(baseline())).allowed).toBe(true); // checkRemoteHelpAccess: not judged
      expect(decideRemoteHelpAccess(all(tenant({ requireReason: false }), set({ reasonGiven: false }))(baseline())).allowed).toBe(true);
      expect(decideRemoteHelpAccess(set({ reasonGiven: false })(baseline())).allowed).toBe(true); // a tenant without the setting
      // with every other reason, as the others
      expect(decideRemoteHelpAccess(all(required, tenant({ remoteHelpEnabled: false }), set({ reasonGiven: false }))(baseline())).reasons).toEqual([R.REMOTE_HELP_DISABLED, R.REASON_REQUIRED]);
    });
  });

  describe('approval', () => {
    const gatedFull = assignment('help-desk', ALL, { approvalRequiredFor: [P.TAKE_FULL_CONTROL], approverGroupIds: ['leads'] });

    it('allows a gated mode, listing what needs approval and who approves', () => {
      expect(decideRemoteHelpAccess(set({ assignments: [gatedFull] })(baseline()))).toEqual({
        allowed: true,
        reasons: [],
        grantedPermissions: ALL,
        approvalRequiredFor: [P.TAKE_FULL_CONTROL],
        approvalGates: [{ permission: P.TAKE_FULL_CONTROL, approverGroupIds: ['leads'] }],
      });
      // view only needs no full control
      expect(decideRemoteHelpAccess(all(set({ assignments: [gatedFull] }), set({ mode: M.VIEW_ONLY }))(baseline()))).toMatchObject({ allowed: true, approvalRequiredFor: [] });
    });

    it('reports it whatever the other reasons, but never for a mode whose permissions are missing', () => {
      expect(decideRemoteHelpAccess(all(set({ assignments: [gatedFull] }), tenant({ remoteHelpEnabled: false }))(baseline()))).toMatchObject({
        reasons: [R.REMOTE_HELP_DISABLED],
        approvalRequiredFor: [P.TAKE_FULL_CONTROL],
      });
      const gatedView = assignment('viewers', [P.VIEW_SCREEN], { approvalRequiredFor: [P.VIEW_SCREEN], approverGroupIds: ['leads'] });
      expect(decideRemoteHelpAccess(set({ assignments: [gatedView] })(baseline()))).toMatchObject({
        reasons: [R.MISSING_PERMISSION],
        approvalRequiredFor: [],
        // the gates over the target stay known (for a step that needs only view)
        approvalGates: [{ permission: P.VIEW_SCREEN, approverGroupIds: ['leads'] }],
      });
    });

    it('counts only assignments that cover the target: an ungated one elsewhere does not lift the gate', () => {
      const elsewhere = assignment('elsewhere', ALL, { scopeGroupIds: ['other'] });
      expect(decideRemoteHelpAccess(set({ assignments: [gatedFull, elsewhere] })(baseline()))).toMatchObject({ allowed: true, approvalRequiredFor: [P.TAKE_FULL_CONTROL] });
      const here = assignment('here', [P.TAKE_FULL_CONTROL]);
      expect(decideRemoteHelpAccess(set({ assignments: [gatedFull, here] })(baseline()))).toMatchObject({ allowed: true, ...NO_APPROVAL });
    });
  });

  describe('permissions', () => {
    const withRole = (permissions: P[], mode: M) => decideRemoteHelpAccess(all(set({ mode, assignments: [assignment('r', permissions)] }))(mode === M.UNATTENDED ? unattendedBaseline() : baseline()));

    it.each([
      [M.VIEW_ONLY, [P.VIEW_SCREEN, P.OFFER_REMOTE_ASSISTANCE]],
      [M.FULL_CONTROL, [P.TAKE_FULL_CONTROL, P.OFFER_REMOTE_ASSISTANCE]],
      [M.UNATTENDED, [P.UNATTENDED_CONTROL, P.OFFER_REMOTE_ASSISTANCE]],
    ])('%s needs %j', (mode, needed) => {
      expect(requiredPermissions(mode)).toEqual(needed);
      expect(withRole(needed, mode).allowed).toBe(true);
      for (const p of needed)
        expect(
          withRole(
            needed.filter((q) => q !== p),
            mode,
          ).reasons,
        ).toEqual([R.MISSING_PERMISSION]);
    });

    it('applies the implications: Unattended control gives view and full control; Elevation gives full control', () => {
      expect(withRole([P.UNATTENDED_CONTROL, P.OFFER_REMOTE_ASSISTANCE], M.VIEW_ONLY)).toEqual({
        allowed: true,
        reasons: [],
        grantedPermissions: [P.VIEW_SCREEN, P.TAKE_FULL_CONTROL, P.ELEVATION, P.UNATTENDED_CONTROL, P.OFFER_REMOTE_ASSISTANCE],
        ...NO_APPROVAL,
      });
      expect(withRole([P.ELEVATION, P.OFFER_REMOTE_ASSISTANCE], M.FULL_CONTROL).allowed).toBe(true);
      expect(withRole([P.ELEVATION, P.OFFER_REMOTE_ASSISTANCE, P.VIEW_SCREEN], M.UNATTENDED).reasons).toEqual([R.MISSING_PERMISSION]);
    });

    it('gives nothing to a helper outside the admin groups', () => {
      const d = decideRemoteHelpAccess(helper({ groupIds: ['someone-else'] })(baseline()));
      expect(d).toEqual({ allowed: false, reasons: [R.MISSING_PERMISSION], grantedPermissions: [], ...NO_APPROVAL });
    });

    it('reports the granted permissions even when denied for other reasons', () => {
      const d = decideRemoteHelpAccess(tenant({ remoteHelpEnabled: false })(baseline()));
      expect(d.grantedPermissions).toEqual(ALL);
    });
  });

  describe('scope', () => {
    // Full control over group A, view only over group B.
    const twoAssignments = [
      assignment('full-over-A', [P.TAKE_FULL_CONTROL, P.OFFER_REMOTE_ASSISTANCE], { scopeGroupIds: ['A'] }),
      assignment('view-over-B', [P.VIEW_SCREEN, P.OFFER_REMOTE_ASSISTANCE], { scopeGroupIds: ['B'] }),
    ];
    const inGroup = (g: string, mode: M) => all(set({ mode, assignments: twoAssignments }), device({ groupIds: [g] }), sharer({ groupIds: [g] }))(baseline());

    it('does not leak full control from group A onto a device of group B', () => {
      expect(decideRemoteHelpAccess(inGroup('B', M.VIEW_ONLY))).toEqual({
        allowed: true,
        reasons: [],
        grantedPermissions: [P.VIEW_SCREEN, P.OFFER_REMOTE_ASSISTANCE],
        ...NO_APPROVAL,
      });
      expect(decideRemoteHelpAccess(inGroup('B', M.FULL_CONTROL))).toEqual({
        allowed: false,
        reasons: [R.TARGET_OUT_OF_SCOPE],
        grantedPermissions: [P.VIEW_SCREEN, P.OFFER_REMOTE_ASSISTANCE],
        ...NO_APPROVAL,
      });
      expect(decideRemoteHelpAccess(inGroup('A', M.FULL_CONTROL))).toEqual({
        allowed: true,
        reasons: [],
        grantedPermissions: [P.VIEW_SCREEN, P.TAKE_FULL_CONTROL, P.OFFER_REMOTE_ASSISTANCE],
        ...NO_APPROVAL,
      });
      expect(decideRemoteHelpAccess(inGroup('C', M.VIEW_ONLY))).toEqual({
        allowed: false,
        reasons: [R.TARGET_OUT_OF_SCOPE],
        grantedPermissions: [],
        ...NO_APPROVAL,
      });
    });

    it('needs the device AND its user in the scope of the same assignment', () => {
      const split = all(set({ assignments: twoAssignments, mode: M.VIEW_ONLY }), device({ groupIds: ['A'] }), sharer({ groupIds: ['B'] }))(baseline());
      expect(decideRemoteHelpAccess(split)).toEqual({ allowed: false, reasons: [R.TARGET_OUT_OF_SCOPE], grantedPermissions: [], ...NO_APPROVAL });
      const userOnly = all(sharer({ groupIds: ['scope'] }), device({ groupIds: [] }))(baseline());
      expect(decideRemoteHelpAccess(userOnly).reasons).toEqual([R.TARGET_OUT_OF_SCOPE]);
      const deviceOnly = all(sharer({ groupIds: [] }), device({ groupIds: ['scope'] }))(baseline());
      expect(decideRemoteHelpAccess(deviceOnly).reasons).toEqual([R.TARGET_OUT_OF_SCOPE]);
    });

    it('covers all users / all devices of the tenant with scopeAllUsers / scopeAllDevices', () => {
      const everything = set({ assignments: [assignment('all', ALL, { scopeGroupIds: [], scopeAllUsers: true, scopeAllDevices: true })] });
      expect(decideRemoteHelpAccess(all(everything, device({ groupIds: [] }), sharer({ groupIds: [] }))(baseline())).allowed).toBe(true);
      const devicesOnly = set({ assignments: [assignment('all-devices', ALL, { scopeGroupIds: [], scopeAllDevices: true })] });
      expect(decideRemoteHelpAccess(devicesOnly(baseline())).reasons).toEqual([R.TARGET_OUT_OF_SCOPE]);
      expect(decideRemoteHelpAccess(devicesOnly(unattendedBaseline())).allowed).toBe(true); // no user to cover
    });

    it('does not cover an unenrolled device with "All devices" (only through a scope group)', () => {
      const allDevices = assignment('all-devices', ALL, { scopeGroupIds: [], scopeAllDevices: true, scopeAllUsers: true });
      const unenrolled = all(tenant({ allowUnenrolledDevices: true }), device({ enrolled: false, groupIds: ['kiosks'] }), set({ assignments: [allDevices] }));
      expect(decideRemoteHelpAccess(unenrolled(baseline()))).toEqual({ allowed: false, reasons: [R.TARGET_OUT_OF_SCOPE], grantedPermissions: [], ...NO_APPROVAL });
      const viaGroup = set({ assignments: [allDevices, assignment('kiosks', [P.VIEW_SCREEN, P.OFFER_REMOTE_ASSISTANCE], { scopeGroupIds: ['kiosks'], scopeAllUsers: true })] });
      expect(decideRemoteHelpAccess(all(unenrolled, viaGroup)(baseline()))).toEqual({
        allowed: false,
        reasons: [R.TARGET_OUT_OF_SCOPE], // full control exists, but only over enrolled devices
        grantedPermissions: [P.VIEW_SCREEN, P.OFFER_REMOTE_ASSISTANCE],
        ...NO_APPROVAL,
      });
      expect(decideRemoteHelpAccess(all(unenrolled, viaGroup, set({ mode: M.VIEW_ONLY }))(baseline())).allowed).toBe(true);
    });

    it('never covers a device or user of another tenant, even with "All users" and "All devices"', () => {
      const everything = set({ assignments: [assignment('all', ALL, { scopeAllUsers: true, scopeAllDevices: true })] });
      const d = decideRemoteHelpAccess(all(everything, device({ tenantId: 't2' }))(baseline()));
      expect(d).toEqual({ allowed: false, reasons: [R.CROSS_TENANT, R.TARGET_OUT_OF_SCOPE], grantedPermissions: [], ...NO_APPROVAL });
    });

    it('says MISSING_PERMISSION for a helper with no assignment at all, without TARGET_OUT_OF_SCOPE', () => {
      expect(decideRemoteHelpAccess(set({ assignments: [] })(baseline())).reasons).toEqual([R.MISSING_PERMISSION]);
    });
  });
});
