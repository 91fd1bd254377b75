/**
 * Property: `decideRemoteHelpAccess` agrees with a second, deliberately plain implementation of the
 * same rules (below, sharing no code with the library: the implications, licences, platform support
 * and scope are spelled out again), over thousands of random directories.
 */
import fc from 'fast-check';
import type { DecisionDevice, DecisionInput, DecisionUser } from './access-decision';
import { decideRemoteHelpAccess } from './access-decision';
import { ALL_DENIAL_REASONS } from './denial-reason';
import { CloudEnvironment, ComplianceState, LicenseKind, Platform } from './directory';
import { ALL_REMOTE_HELP_PERMISSIONS, RemoteHelpPermission } from './permissions';
import type { LicenseFacts } from './licenses';
import type { DecisionAssignment } from './scope';
import { SessionMode } from './sessions';

// ---------------------------------------------------------------- the reference implementation

interface Expected {
  allowed: boolean;
  reasons: Set<string>;
  granted: Set<string>;
  approval: Set<string>;
  gates: Map<string, Set<string>>;
}

function referenceDecision(input: DecisionInput): Expected {
  const reasons = new Set<string>();
  const tenant = input.tenant;
  const helper = input.helper;
  const device = input.device;
  const user = input.targetUser;
  const now = input.now.getTime();

  // Tenant settings and cloud.
  if (tenant === null || !tenant.remoteHelpEnabled) reasons.add('REMOTE_HELP_DISABLED');
  if (tenant !== null && (tenant.cloud === 'GCC_HIGH' || tenant.cloud === 'DOD')) reasons.add('UNSUPPORTED_CLOUD');

  // The tenant everything must belong to.
  let home: string | null = null;
  if (tenant !== null) home = tenant.id;
  else if (helper !== null) home = helper.tenantId;

  // Is there a user at the device?
  let userAtDevice = false;
  if (user !== null) userAtDevice = true;
  if (device !== null && device.primaryUserId !== null) userAtDevice = true;

  let crossTenant = false;
  if (helper === null || helper.tenantId !== home) crossTenant = true;
  if (device === null || device.tenantId !== home) crossTenant = true;
  if (user !== null && user.tenantId !== home) crossTenant = true;
  if (user === null && userAtDevice) crossTenant = true;
  if (crossTenant) reasons.add('CROSS_TENANT');

  // Licences: 'active' | 'later' | 'none'.
  const licence = (u: DecisionUser | null): string => {
    if (u === null) return 'none';
    let active = false;
    let later = false;
    for (const l of u.licenses) {
      if (l.kind !== 'REMOTE_HELP_ADDON' && l.kind !== 'INTUNE_SUITE') continue;
      const from = l.activeFrom.getTime();
      const until = l.expiresAt === null ? Number.POSITIVE_INFINITY : l.expiresAt.getTime();
      if (from <= now && now < until) active = true;
      if (from > now && until > from) later = true;
    }
    if (active) return 'active';
    if (later) return 'later';
    return 'none';
  };
  const helperLicence = licence(helper);
  if (helperLicence === 'none') reasons.add('HELPER_NOT_LICENSED');
  if (helperLicence === 'later') reasons.add('LICENSE_NOT_YET_ACTIVE');
  if (userAtDevice) {
    const sharerLicence = licence(user);
    if (sharerLicence === 'none') reasons.add('SHARER_NOT_LICENSED');
    if (sharerLicence === 'later') reasons.add('LICENSE_NOT_YET_ACTIVE');
  }

  // The device.
  if (device !== null) {
    const numbers = device.osVersion.match(/\d+/g);
    const first = numbers === null ? -1 : Number(numbers[0]);
    let platformOk = false;
    if (device.platform === 'WINDOWS' || device.platform === 'WINDOWS_ARM64') platformOk = first === 10 || first === 11;
    if (device.platform === 'WINDOWS_365') platformOk = true;
    if (device.platform === 'MACOS') platformOk = first === 12 || first === 13 || first === 14 || first === 15;
    if (device.platform === 'ANDROID_DEDICATED' && device.manufacturer !== null) {
      const word = device.manufacturer.trim().toLowerCase().split(' ')[0];
      platformOk = word === 'samsung' || word === 'zebra';
    }
    if (input.mode === 'UNATTENDED' && device.platform !== 'ANDROID_DEDICATED') platformOk = false;
    if (!platformOk) reasons.add('UNSUPPORTED_PLATFORM');

    if (!device.enrolled && (tenant === null || !tenant.allowUnenrolledDevices)) reasons.add('DEVICE_NOT_ENROLLED');
    if (device.enrolled && !device.entraRegistered) reasons.add('DEVICE_NOT_REGISTERED');
    if (input.complianceAcknowledged === false && device.compliance === 'NONCOMPLIANT') reasons.add('COMPLIANCE_NOT_ACKNOWLEDGED');
  }
  if (input.mode === 'UNATTENDED' && userAtDevice) reasons.add('UNATTENDED_REQUIRES_NO_USER');
  if (input.reasonGiven === false && tenant !== null && tenant.requireReason === true) reasons.add('REASON_REQUIRED');

  // Permissions over the target.
  const withImplications = (granted: Set<string>): Set<string> => {
    const out = new Set(granted);
    if (out.has('UNATTENDED_CONTROL')) out.add('ELEVATION');
    if (out.has('ELEVATION')) out.add('TAKE_FULL_CONTROL');
    if (out.has('TAKE_FULL_CONTROL')) out.add('VIEW_SCREEN');
    return out;
  };
  let holdsAny = false;
  let coversAny = false;
  const coveringList: DecisionAssignment[] = [];
  const anywhere = new Set<string>();
  const overTarget = new Set<string>();
  for (const a of input.assignments) {
    if (helper === null) continue;
    let member = false;
    for (const g of a.adminGroupIds) if (helper.groupIds.includes(g)) member = true;
    if (!member) continue;
    holdsAny = true;
    for (const p of a.permissions) anywhere.add(p);

    let deviceCovered = false;
    if (device !== null && device.tenantId === home) {
      if (a.scopeAllDevices && device.enrolled) deviceCovered = true;
      for (const g of a.scopeGroupIds) if (device.groupIds.includes(g)) deviceCovered = true;
    }
    let userCovered = true;
    if (userAtDevice) {
      userCovered = false;
      if (user !== null && user.tenantId === home) {
        if (a.scopeAllUsers) userCovered = true;
        for (const g of a.scopeGroupIds) if (user.groupIds.includes(g)) userCovered = true;
      }
    }
    if (deviceCovered && userCovered) {
      coversAny = true;
      coveringList.push(a);
      for (const p of a.permissions) overTarget.add(p);
    }
  }
  const granted = withImplications(overTarget);
  const grantedAnywhere = withImplications(anywhere);
  let modePermission = 'VIEW_SCREEN';
  if (input.mode === 'FULL_CONTROL') modePermission = 'TAKE_FULL_CONTROL';
  if (input.mode === 'UNATTENDED') modePermission = 'UNATTENDED_CONTROL';
  if (!granted.has(modePermission) || !granted.has('OFFER_REMOTE_ASSISTANCE')) {
    if (grantedAnywhere.has(modePermission) && grantedAnywhere.has('OFFER_REMOTE_ASSISTANCE')) reasons.add('TARGET_OUT_OF_SCOPE');
    else reasons.add('MISSING_PERMISSION');
  }
  if (holdsAny && !coversAny) reasons.add('TARGET_OUT_OF_SCOPE');

  // Gates: each granted permission that is no longer granted once the assignments gating it are
  // taken away, with the approver groups of the assignments that grant it.
  const gates = new Map<string, Set<string>>();
  for (const p of granted) {
    const ungated = new Set<string>();
    for (const a of coveringList) if (!(a.approvalRequiredFor ?? []).includes(p as RemoteHelpPermission)) for (const q of a.permissions) ungated.add(q);
    if (withImplications(ungated).has(p)) continue;
    const groups = new Set<string>();
    for (const a of coveringList) if (withImplications(new Set(a.permissions)).has(p)) for (const g of a.approverGroupIds ?? []) groups.add(g);
    gates.set(p, groups);
  }
  // Approval: with the mode's permissions granted, the gated ones among all the mode implies.
  const approval = new Set<string>();
  if (granted.has(modePermission) && granted.has('OFFER_REMOTE_ASSISTANCE')) {
    let needs = ['OFFER_REMOTE_ASSISTANCE', 'VIEW_SCREEN'];
    if (input.mode === 'FULL_CONTROL') needs = ['OFFER_REMOTE_ASSISTANCE', 'VIEW_SCREEN', 'TAKE_FULL_CONTROL'];
    if (input.mode === 'UNATTENDED') needs = ['OFFER_REMOTE_ASSISTANCE', 'VIEW_SCREEN', 'TAKE_FULL_CONTROL', 'ELEVATION', 'UNATTENDED_CONTROL'];
    for (const p of needs) if (gates.has(p)) approval.add(p);
  }

  return { allowed: reasons.size === 0, reasons, granted, approval, gates };
}

// ---------------------------------------------------------------- random directories

const NOW = new Date('2025-06-01T12:00:00Z');
const MIN = 60_000;
const offsets = [-30 * 24 * 60 * MIN, -60 * MIN, -1, 0, 1, 30 * MIN, 8 * 60 * MIN, 30 * 24 * 60 * MIN];
const at = (ms: number) => new Date(NOW.getTime() + ms);
const GROUPS = ['g1', 'g2', 'g3', 'g4', 'g5'];

const weighted = <T>(...options: [T, number][]) => fc.oneof(...options.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));

const tenantIdArb = weighted<string>(['t1', 25], ['t2', 1]);
const groupIdsArb = fc.subarray(GROUPS);

const licenseArb: fc.Arbitrary<LicenseFacts> = fc.record({
  kind: weighted<LicenseKind>([LicenseKind.REMOTE_HELP_ADDON, 4], [LicenseKind.INTUNE_SUITE, 4], ['E5' as LicenseKind, 1]),
  activeFrom: fc.constantFrom(...offsets).map(at),
  expiresAt: fc.option(fc.constantFrom(...offsets).map(at), { nil: null, freq: 2 }),
});
// Mostly one active licence, sometimes random ones (expired, pending, several).
const licensesArb: fc.Arbitrary<LicenseFacts[]> = fc.oneof(
  { arbitrary: fc.constant<LicenseFacts[]>([{ kind: LicenseKind.INTUNE_SUITE, activeFrom: at(-60 * MIN), expiresAt: null }]), weight: 3 },
  { arbitrary: fc.array(licenseArb, { maxLength: 3 }), weight: 2 },
);

const userArb = (id: string): fc.Arbitrary<DecisionUser> => fc.record({ id: fc.constant(id), tenantId: tenantIdArb, licenses: licensesArb, groupIds: groupIdsArb });

const OS_VERSIONS = [
  '10.0.19045',
  '10.0.22631',
  '11',
  '11.0.26100',
  'Windows 11 23H2',
  'Windows 10 22H2',
  '6.1.7601',
  '8.1',
  'Windows Server 2022',
  '',
  'unknown',
  '12.7.1',
  '13',
  'macOS 13.6',
  '14.5',
  '15',
  '11.7.10',
  '10.15.7',
  '26.0',
  '14',
];
const FITTING_VERSIONS: Record<Platform, string[]> = {
  WINDOWS: ['10.0.19045', '10.0.22631', '11', 'Windows 11 23H2'],
  WINDOWS_ARM64: ['10.0.19041', '11.0.26100'],
  WINDOWS_365: ['10.0.22631', ''],
  ANDROID_DEDICATED: ['14', '13'],
  MACOS: ['12.7.1', 'macOS 13.6', '14.5', '15'],
  OTHER: ['17.5'],
};
const MANUFACTURERS = ['Samsung', 'SAMSUNG', 'zebra', 'Zebra Technologies', ' samsung ', 'Google', 'Samsungs', 'Dell', '', null];

const deviceArb = (id: string, userIds: string[]) =>
  fc
    .record({
      id: fc.constant(id),
      tenantId: tenantIdArb,
      // mostly a version and manufacturer that fit the platform, sometimes any of the pool
      platformFacts: fc.constantFrom(...Object.values(Platform)).chain((platform) =>
        fc.record({
          platform: fc.constant(platform),
          osVersion: fc.oneof({ arbitrary: fc.constantFrom(...FITTING_VERSIONS[platform]), weight: 3 }, { arbitrary: fc.constantFrom(...OS_VERSIONS), weight: 1 }),
          manufacturer: fc.oneof({ arbitrary: fc.constantFrom('Samsung', 'Zebra Technologies'), weight: platform === Platform.ANDROID_DEDICATED ? 3 : 0 }, { arbitrary: fc.constantFrom(...MANUFACTURERS), weight: 1 }),
        }),
      ),
      enrolled: weighted([true, 4], [false, 1]),
      entraRegistered: weighted([true, 4], [false, 1]),
      compliance: fc.constantFrom(...Object.values(ComplianceState)),
      // a user of the directory, a user it does not know ('ghost'), or none
      primaryUserId: fc.constantFrom<(string | null)[]>(...userIds, ...userIds, 'ghost', null, null, null),
      groupIds: groupIdsArb,
    })
    .map(({ platformFacts, ...rest }) => ({ ...rest, ...platformFacts }) as DecisionDevice);

const assignmentArb = (i: number) =>
  fc
    .record({
      id: fc.constant(`a${i}`),
      permissions: fc.oneof({ arbitrary: fc.constant([...ALL_REMOTE_HELP_PERMISSIONS]), weight: 2 }, { arbitrary: fc.subarray([...ALL_REMOTE_HELP_PERMISSIONS]), weight: 3 }),
      adminGroupIds: fc.subarray(GROUPS, { maxLength: 3 }),
      scopeGroupIds: fc.subarray(GROUPS, { maxLength: 3 }),
      scopeAllUsers: fc.boolean(),
      scopeAllDevices: fc.boolean(),
      // mostly none, else a random gate with its approvers (absent, as from a store without approvals, sometimes)
      approvalRequiredFor: fc.option(fc.oneof({ arbitrary: fc.constant([]), weight: 3 }, { arbitrary: fc.subarray([...ALL_REMOTE_HELP_PERMISSIONS]), weight: 2 }), { nil: undefined, freq: 5 }),
      approverGroupIds: fc.option(fc.subarray(['a1', 'a2', 'a3'], { minLength: 1 }), { nil: undefined, freq: 5 }),
    })
    .map(({ approvalRequiredFor, approverGroupIds, ...rest }) => ({
      ...rest,
      ...(approvalRequiredFor === undefined ? {} : { approvalRequiredFor }),
      ...(approverGroupIds === undefined ? {} : { approverGroupIds }),
    })) as fc.Arbitrary<DecisionAssignment>;

/** A random directory, then a question asked of it: one helper, one device, the user at it. */
const inputArb: fc.Arbitrary<DecisionInput> = fc
  .record({
    tenant: fc.option(
      fc
        .record({
          id: fc.constant('t1'),
          cloud: weighted<CloudEnvironment>([CloudEnvironment.COMMERCIAL, 6], [CloudEnvironment.GCC, 3], [CloudEnvironment.GCC_HIGH, 1], [CloudEnvironment.DOD, 1]),
          remoteHelpEnabled: weighted([true, 6], [false, 1]),
          allowUnenrolledDevices: fc.boolean(),
          requireReason: fc.option(fc.boolean(), { nil: undefined }),
        })
        .map(({ requireReason, ...t }) => (requireReason === undefined ? t : { ...t, requireReason })),
      { nil: null, freq: 20 },
    ),
    users: fc.tuple(userArb('u1'), userArb('u2'), userArb('u3')),
    assignments: fc.oneof({ arbitrary: fc.constant(0), weight: 1 }, { arbitrary: fc.integer({ min: 1, max: 4 }), weight: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => assignmentArb(i)))),
    devices: fc.tuple(deviceArb('d1', ['u1', 'u2', 'u3']), deviceArb('d2', ['u1', 'u2', 'u3'])),
    helperIndex: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null, freq: 20 }),
    deviceIndex: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null, freq: 20 }),
    // who is at the device: its primary user (as the directory knows it), or a sharer who joined
    sharer: weighted<'primary' | 'none' | number>(['primary', 8], [0, 1], [1, 1], [2, 1], ['none', 1]),
    mode: weighted<SessionMode>([SessionMode.VIEW_ONLY, 2], [SessionMode.FULL_CONTROL, 2], [SessionMode.UNATTENDED, 1]),
    complianceAcknowledged: fc.constantFrom<(boolean | undefined)[]>(undefined, true, false),
    reasonGiven: fc.constantFrom<(boolean | undefined)[]>(undefined, true, false),
  })
  .map(({ tenant, users, assignments, devices, helperIndex, deviceIndex, sharer, mode, complianceAcknowledged, reasonGiven }): DecisionInput => {
    const device: DecisionDevice | null = deviceIndex === null ? null : devices[deviceIndex];
    const findUser = (id: string | null) => users.find((u) => u.id === id) ?? null;
    let targetUser: DecisionUser | null;
    if (sharer === 'primary') targetUser = findUser(device?.primaryUserId ?? null);
    else if (sharer === 'none') targetUser = null;
    else targetUser = users[sharer];
    return {
      now: NOW,
      mode,
      tenant,
      helper: helperIndex === null ? null : users[helperIndex],
      device,
      targetUser,
      assignments: [...assignments],
      ...(complianceAcknowledged === undefined ? {} : { complianceAcknowledged }),
      ...(reasonGiven === undefined ? {} : { reasonGiven }),
    };
  });

// ---------------------------------------------------------------- the property

describe('decideRemoteHelpAccess against a plain second implementation', () => {
  it('agrees on allowed, the reasons and the granted permissions over random directories', () => {
    let allowedCount = 0;
    let gatedCount = 0;
    let runs = 0;
    const seenReasons = new Set<string>();
    const seenReasonCounts = new Set<number>();
    const histogram: Record<string, number> = {};

    fc.assert(
      fc.property(inputArb, (input) => {
        const actual = decideRemoteHelpAccess(input);
        const expected = referenceDecision(input);

        expect(actual.allowed).toBe(expected.allowed);
        expect(new Set(actual.reasons)).toEqual(expected.reasons);
        expect(new Set(actual.grantedPermissions)).toEqual(expected.granted);
        expect(actual.approvalRequiredFor).toEqual(ALL_REMOTE_HELP_PERMISSIONS.filter((p) => expected.approval.has(p)));
        expect(actual.approvalGates).toEqual(ALL_REMOTE_HELP_PERMISSIONS.filter((p) => expected.gates.has(p)).map((p) => ({ permission: p, approverGroupIds: [...expected.gates.get(p)!].sort() })));
        if (actual.approvalRequiredFor.length > 0) gatedCount++;
        // enum order, no duplicates, allowed exactly when there is no reason
        expect(actual.reasons).toEqual(ALL_DENIAL_REASONS.filter((r) => expected.reasons.has(r)));
        expect(actual.grantedPermissions).toEqual(ALL_REMOTE_HELP_PERMISSIONS.filter((p) => expected.granted.has(p)));
        expect(actual.allowed).toBe(actual.reasons.length === 0);

        runs++;
        if (actual.allowed) allowedCount++;
        for (const r of actual.reasons) {
          seenReasons.add(r);
          histogram[r] = (histogram[r] ?? 0) + 1;
        }
        seenReasonCounts.add(actual.reasons.length);
      }),
      { numRuns: 5000, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
    );

    // FC_HISTOGRAM=1 shows how often each reason came up (to tune the generator).
    if (process.env.FC_HISTOGRAM) console.log({ runs, allowedCount, histogram });
    // The generator must reach every reason, allowed decisions, and multi-reason decisions.
    expect(runs).toBe(5000);
    expect([...seenReasons].sort()).toEqual([...ALL_DENIAL_REASONS].sort());
    expect(allowedCount).toBeGreaterThan(runs * 0.02);
    // the approval part is exercised, not vacuously empty
    expect(gatedCount).toBeGreaterThan(runs * 0.01);
    expect(Math.max(...seenReasonCounts)).toBeGreaterThanOrEqual(4);
  });

  it('the reference agrees on a few hand-made cases (so it is not trivially equal to the library)', () => {
    const base: DecisionInput = {
      now: NOW,
      mode: SessionMode.VIEW_ONLY,
      tenant: { id: 't1', cloud: CloudEnvironment.COMMERCIAL, remoteHelpEnabled: true, allowUnenrolledDevices: false },
      helper: { id: 'h', tenantId: 't1', licenses: [{ kind: LicenseKind.REMOTE_HELP_ADDON, activeFrom: at(-1), expiresAt: null }], groupIds: ['g1'] },
      device: {
        id: 'd',
        tenantId: 't1',
        platform: Platform.MACOS,
        osVersion: 'macOS 14.5',
        manufacturer: 'Apple',
        enrolled: true,
        entraRegistered: true,
        compliance: ComplianceState.COMPLIANT,
        primaryUserId: null,
        groupIds: ['g2'],
      },
      targetUser: null,
      assignments: [{ id: 'a', permissions: [RemoteHelpPermission.VIEW_SCREEN, RemoteHelpPermission.OFFER_REMOTE_ASSISTANCE], adminGroupIds: ['g1'], scopeGroupIds: ['g2'], scopeAllUsers: false, scopeAllDevices: false }],
    };
    expect(referenceDecision(base)).toEqual({ allowed: true, reasons: new Set(), granted: new Set(['VIEW_SCREEN', 'OFFER_REMOTE_ASSISTANCE']), approval: new Set(), gates: new Map() });
    const gated = { ...base.assignments[0], approvalRequiredFor: [RemoteHelpPermission.VIEW_SCREEN], approverGroupIds: ['a1'] };
    expect(referenceDecision({ ...base, assignments: [gated] })).toMatchObject({ allowed: true, approval: new Set(['VIEW_SCREEN']), gates: new Map([['VIEW_SCREEN', new Set(['a1'])]]) });
    const ungatedToo = { ...base.assignments[0], id: 'b', permissions: [RemoteHelpPermission.UNATTENDED_CONTROL] };
    expect(referenceDecision({ ...base, assignments: [gated, ungatedToo] })).toMatchObject({ approval: new Set(), gates: new Map() });
    expect(referenceDecision({ ...base, mode: SessionMode.FULL_CONTROL }).reasons).toEqual(new Set(['MISSING_PERMISSION']));
    expect(referenceDecision({ ...base, device: { ...base.device!, osVersion: '11.7' } }).reasons).toEqual(new Set(['UNSUPPORTED_PLATFORM']));
  });
});
