import fc from 'fast-check';
import type { ApprovalAssignment, ApprovalStep } from './approvals';
import { ApprovalDecisionRefusal as Refusal, approvalDecisionRefusal, ApprovalKind as K, approvalGates, approvalNeed, ApprovalStatus as S, stepApproval, stepPermissions } from './approvals';
import { ALL_REMOTE_HELP_PERMISSIONS, RemoteHelpPermission as P } from './permissions';
import { SessionMode as M } from './sessions';

const ALL = [...ALL_REMOTE_HELP_PERMISSIONS];
const STEPS: ApprovalStep[] = [
  { kind: K.SESSION_START, mode: M.VIEW_ONLY },
  { kind: K.SESSION_START, mode: M.FULL_CONTROL },
  { kind: K.SESSION_START, mode: M.UNATTENDED },
  { kind: K.CONTROL_UPGRADE },
  { kind: K.ELEVATION },
];

const gated = (id: string, permissions: P[], approvalRequiredFor: P[], approverGroupIds = [`approvers-${id}`]): ApprovalAssignment => ({ id, permissions, approvalRequiredFor, approverGroupIds });
const open = (id: string, permissions: P[]): ApprovalAssignment => ({ id, permissions, approvalRequiredFor: [], approverGroupIds: [] });

describe('stepPermissions', () => {
  it('lists every permission a step needs, implied ones included, in the enum order', () => {
    expect(STEPS.map(stepPermissions)).toEqual([
      [P.VIEW_SCREEN, P.OFFER_REMOTE_ASSISTANCE],
      [P.VIEW_SCREEN, P.TAKE_FULL_CONTROL, P.OFFER_REMOTE_ASSISTANCE],
      ALL,
      [P.VIEW_SCREEN, P.TAKE_FULL_CONTROL, P.OFFER_REMOTE_ASSISTANCE],
      [P.ELEVATION],
    ]);
  });
});

describe('approvalNeed', () => {
  const fullControl = stepPermissions({ kind: K.SESSION_START, mode: M.FULL_CONTROL });
  const unattended = stepPermissions({ kind: K.SESSION_START, mode: M.UNATTENDED });
  const elevation = stepPermissions({ kind: K.ELEVATION });

  it('needs none without gated assignments, or with none at all', () => {
    expect(approvalNeed(fullControl, [open('a', ALL)])).toEqual({ permissions: [], approverGroupIds: [] });
    expect(approvalNeed(fullControl, [])).toEqual({ permissions: [], approverGroupIds: [] });
  });

  it('gates a permission that only gated assignments grant, with their approver groups', () => {
    const a = gated('a', [P.OFFER_REMOTE_ASSISTANCE, P.TAKE_FULL_CONTROL], [P.TAKE_FULL_CONTROL], ['g2', 'g1']);
    expect(approvalNeed(fullControl, [a])).toEqual({ permissions: [P.TAKE_FULL_CONTROL], approverGroupIds: ['g1', 'g2'] });
    // view only needs no full control: no approval
    expect(approvalNeed(stepPermissions({ kind: K.SESSION_START, mode: M.VIEW_ONLY }), [a])).toEqual({ permissions: [], approverGroupIds: [] });
  });

  it('needs none when any assignment grants the permission without approval, even only by implication', () => {
    const a = gated('a', [P.OFFER_REMOTE_ASSISTANCE, P.TAKE_FULL_CONTROL], [P.TAKE_FULL_CONTROL]);
    expect(approvalNeed(fullControl, [a, open('b', [P.ELEVATION])]).permissions).toEqual([]);
    expect(approvalNeed(fullControl, [a, open('b', [P.VIEW_SCREEN])]).permissions).toEqual([P.TAKE_FULL_CONTROL]);
  });

  it('cannot be bypassed by a mode that implies the gated permission: an unattended session needs the gated full control', () => {
    const a = gated('a', [P.OFFER_REMOTE_ASSISTANCE, P.UNATTENDED_CONTROL], [P.TAKE_FULL_CONTROL]);
    expect(approvalNeed(unattended, [a])).toEqual({ permissions: [P.TAKE_FULL_CONTROL], approverGroupIds: ['approvers-a'] });
    expect(approvalNeed(elevation, [a]).permissions).toEqual([]);
    expect(approvalNeed(stepPermissions({ kind: K.CONTROL_UPGRADE }), [a]).permissions).toEqual([P.TAKE_FULL_CONTROL]);
  });

  it('gates elevation on its own: a running full-control session asks for it only when it elevates', () => {
    const a = gated('a', [P.OFFER_REMOTE_ASSISTANCE, P.ELEVATION], [P.ELEVATION]);
    expect(approvalNeed(fullControl, [a]).permissions).toEqual([]);
    expect(approvalNeed(elevation, [a])).toEqual({ permissions: [P.ELEVATION], approverGroupIds: ['approvers-a'] });
  });

  it('ignores a gate on a permission the assignment does not grant, and permissions nobody grants', () => {
    const a = gated('a', [P.OFFER_REMOTE_ASSISTANCE, P.VIEW_SCREEN], [P.TAKE_FULL_CONTROL, P.VIEW_SCREEN]);
    // full control is not granted at all (the decision refuses it); view is gated
    expect(approvalNeed(fullControl, [a])).toEqual({ permissions: [P.VIEW_SCREEN], approverGroupIds: ['approvers-a'] });
  });

  it('takes the approver groups of every assignment behind a gated permission, once each', () => {
    const a = gated('a', [P.OFFER_REMOTE_ASSISTANCE, P.TAKE_FULL_CONTROL], [P.TAKE_FULL_CONTROL], ['g1', 'g2']);
    const b = gated('b', [P.UNATTENDED_CONTROL], [P.TAKE_FULL_CONTROL, P.UNATTENDED_CONTROL], ['g2', 'g3']);
    const c = gated('c', [P.VIEW_SCREEN], [P.VIEW_SCREEN], ['g9']);
    expect(approvalNeed(fullControl, [a, b, c])).toEqual({ permissions: [P.TAKE_FULL_CONTROL], approverGroupIds: ['g1', 'g2', 'g3'] });
    expect(approvalNeed(unattended, [a, b, c])).toEqual({ permissions: [P.TAKE_FULL_CONTROL, P.UNATTENDED_CONTROL], approverGroupIds: ['g1', 'g2', 'g3'] });
  });

  // ---------------------------------------------------------------- against an oracle

  /** The implications spelled out again (not the library's table). */
  const closure = (granted: Iterable<string>): Set<string> => {
    const out = new Set(granted);
    if (out.has('UNATTENDED_CONTROL')) out.add('ELEVATION');
    if (out.has('ELEVATION')) out.add('TAKE_FULL_CONTROL');
    if (out.has('TAKE_FULL_CONTROL')) out.add('VIEW_SCREEN');
    return out;
  };

  /**
   * A second formulation: a needed permission needs approval exactly when it is granted by all the
   * assignments together, and no longer granted once every assignment that gates it is taken away.
   */
  function oracle(needed: readonly string[], covering: readonly ApprovalAssignment[]) {
    const all = closure(covering.flatMap((a) => a.permissions));
    const permissions = new Set<string>();
    const groups = new Set<string>();
    for (const p of needed) {
      const withoutGates = closure(covering.filter((a) => !a.approvalRequiredFor.includes(p as P)).flatMap((a) => a.permissions));
      if (!all.has(p) || withoutGates.has(p)) continue;
      permissions.add(p);
      for (const a of covering) if (closure(a.permissions).has(p)) for (const g of a.approverGroupIds) groups.add(g);
    }
    return { permissions, groups };
  }

  function agrees(step: ApprovalStep, covering: ApprovalAssignment[]) {
    const needed = stepPermissions(step);
    const actual = approvalNeed(needed, covering);
    const expected = oracle(needed, covering);
    expect(new Set(actual.permissions)).toEqual(expected.permissions);
    expect(actual.permissions).toEqual(ALL.filter((p) => expected.permissions.has(p)));
    expect(actual.approverGroupIds).toEqual([...expected.groups].sort());
    return actual;
  }

  const subsets = <T>(xs: readonly T[]): T[][] => xs.reduce<T[][]>((acc, x) => acc.concat(acc.map((s) => [...s, x])), [[]]);

  it('agrees with the oracle for every step and every single assignment (all 32 x 32 permission and gate sets)', () => {
    let gatedCases = 0;
    for (const step of STEPS) {
      for (const permissions of subsets(ALL)) {
        for (const approvalRequiredFor of subsets(ALL)) {
          if (agrees(step, [gated('a', permissions, approvalRequiredFor)]).permissions.length > 0) gatedCases++;
        }
      }
    }
    expect(gatedCases).toBeGreaterThan(1000);
  });

  it('agrees with the oracle over random sets of gated and ungated assignments', () => {
    const assignmentArb = (i: number) =>
      fc.record({
        id: fc.constant(`a${i}`),
        permissions: fc.subarray(ALL),
        approvalRequiredFor: fc.oneof({ arbitrary: fc.constant([]), weight: 1 }, { arbitrary: fc.subarray(ALL), weight: 3 }),
        approverGroupIds: fc.subarray(['g1', 'g2', 'g3', 'g4'], { minLength: 1 }),
      });
    const seen = { none: 0, some: 0 };
    fc.assert(
      fc.property(
        fc.constantFrom(...STEPS),
        fc.integer({ min: 0, max: 5 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => assignmentArb(i)))),
        (step, covering) => {
          const need = agrees(step, [...covering]);
          // the gates over the target tell every step what it needs, as approvalNeed does
          for (const s of STEPS) expect(stepApproval(approvalGates(covering), s)).toEqual(approvalNeed(stepPermissions(s), covering));
          seen[need.permissions.length > 0 ? 'some' : 'none']++;
        },
      ),
      { numRuns: 5000 },
    );
    expect(seen.some).toBeGreaterThan(500);
    expect(seen.none).toBeGreaterThan(500);
  });
});

describe('approvalDecisionRefusal', () => {
  const request = { requesterId: 'helper', status: S.PENDING, approverGroupIds: ['approvers'] };
  const approver = { id: 'lead', accountEnabled: true, groupIds: ['staff', 'approvers'] };

  it('lets an enabled member of an approver group decide a pending request of someone else', () => {
    expect(approvalDecisionRefusal(approver, request)).toBeNull();
  });

  it('refuses the requester, even in an approver group', () => {
    expect(approvalDecisionRefusal({ ...approver, id: 'helper' }, request)).toBe(Refusal.OWN_REQUEST);
  });

  it('refuses someone outside the approver groups (for example removed from them), or deactivated', () => {
    expect(approvalDecisionRefusal({ ...approver, groupIds: ['staff'] }, request)).toBe(Refusal.NOT_AN_APPROVER);
    expect(approvalDecisionRefusal({ ...approver, accountEnabled: false }, request)).toBe(Refusal.NOT_AN_APPROVER);
    expect(approvalDecisionRefusal(approver, { ...request, approverGroupIds: [] })).toBe(Refusal.NOT_AN_APPROVER);
  });

  it('refuses every decision once the first is made, or the request expired or was cancelled, before anything else', () => {
    for (const status of [S.APPROVED, S.DENIED, S.EXPIRED, S.CANCELLED]) {
      expect(approvalDecisionRefusal(approver, { ...request, status })).toBe(Refusal.NOT_PENDING);
      expect(approvalDecisionRefusal({ ...approver, id: 'helper' }, { ...request, status })).toBe(Refusal.NOT_PENDING);
    }
  });
});
