import { ALL_REMOTE_HELP_PERMISSIONS, effectivePermissions, RemoteHelpPermission } from './permissions';
import type { DecisionAssignment } from './scope';
import { SessionMode } from './sessions';

/** What an approval request asks for (values match the public GraphQL enum). */
export enum ApprovalKind {
  /** A session in a gated mode: it waits in PENDING_APPROVAL, without a security code. */
  SESSION_START = 'SESSION_START',
  /** An upgrade of a running session to full control through a gated permission. */
  CONTROL_UPGRADE = 'CONTROL_UPGRADE',
  /** Elevation in a running session through a gated permission. */
  ELEVATION = 'ELEVATION',
}

/** Where an approval request stands (values match the public GraphQL enum). The first decision is final. */
export enum ApprovalStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  DENIED = 'DENIED',
  EXPIRED = 'EXPIRED',
  CANCELLED = 'CANCELLED',
}

/** A step a helper takes that may need approval: starting a session in a mode, or a step in a running one. */
export type ApprovalStep = { kind: ApprovalKind.SESSION_START; mode: SessionMode } | { kind: ApprovalKind.CONTROL_UPGRADE } | { kind: ApprovalKind.ELEVATION };

const P = RemoteHelpPermission;
const MODE_NEEDS: Readonly<Record<SessionMode, readonly RemoteHelpPermission[]>> = {
  [SessionMode.VIEW_ONLY]: [P.OFFER_REMOTE_ASSISTANCE, P.VIEW_SCREEN],
  [SessionMode.FULL_CONTROL]: [P.OFFER_REMOTE_ASSISTANCE, P.VIEW_SCREEN, P.TAKE_FULL_CONTROL],
  [SessionMode.UNATTENDED]: ALL_REMOTE_HELP_PERMISSIONS,
};

/**
 * Every permission a step needs, each one checked for approval on its own (in the enum's order):
 * a session in VIEW_ONLY needs OFFER_REMOTE_ASSISTANCE and VIEW_SCREEN; FULL_CONTROL (and an
 * upgrade to it) those and TAKE_FULL_CONTROL; UNATTENDED all five; elevation ELEVATION. Listing
 * what a mode implies is what keeps a gate from being bypassed: an UNATTENDED session needs
 * TAKE_FULL_CONTROL too, so a gate on full control holds whichever mode asks for it.
 */
export function stepPermissions(step: ApprovalStep): RemoteHelpPermission[] {
  const needed = step.kind === ApprovalKind.SESSION_START ? MODE_NEEDS[step.mode] : step.kind === ApprovalKind.CONTROL_UPGRADE ? MODE_NEEDS[SessionMode.FULL_CONTROL] : [P.ELEVATION];
  return ALL_REMOTE_HELP_PERMISSIONS.filter((p) => needed.includes(p));
}

/** A role assignment with its just-in-time approval settings (both empty: no approval). */
export interface ApprovalAssignment extends Pick<DecisionAssignment, 'id' | 'permissions'> {
  /** The permissions (granted by its role, directly or implied) that need approval when they come only through gated assignments. */
  approvalRequiredFor: readonly RemoteHelpPermission[];
  /** Whose members may approve; never empty when `approvalRequiredFor` is not. */
  approverGroupIds: readonly string[];
}

export interface ApprovalNeed {
  /** The needed permissions that need approval, in the enum's order; empty: none. */
  permissions: RemoteHelpPermission[];
  /** The approver groups of the assignments that grant those permissions, sorted, without duplicates. */
  approverGroupIds: string[];
}

/**
 * Which of `needed` need approval, given the helper's assignments that cover the target.
 *
 * A needed permission needs approval when at least one of them grants it (directly or implied by
 * another of its role's permissions) and every one that grants it lists it in
 * `approvalRequiredFor`; one assignment granting it without approval is enough to need none. A
 * needed permission that no assignment grants needs no approval: the decision refuses it
 * (MISSING_PERMISSION or TARGET_OUT_OF_SCOPE), and no approval could change that.
 *
 * The approvers are the members of the approver groups of the assignments that grant a gated
 * permission (the caller resolves members; `approvalDecisionRefusal` excludes the requester).
 */
export function approvalNeed(needed: readonly RemoteHelpPermission[], covering: readonly ApprovalAssignment[]): ApprovalNeed {
  return needOf(approvalGates(covering), needed);
}

/** A permission granted over a target only through gated assignments, with the approver groups of those assignments (sorted). */
export interface ApprovalGate {
  permission: RemoteHelpPermission;
  approverGroupIds: string[];
}

/**
 * Every permission that the covering assignments grant only with approval (see `approvalNeed`),
 * in the enum's order, each with its approvers: what any step over this target needs is read
 * from these (`stepApproval`). Each assignment's implications are worked out once.
 */
export function approvalGates(covering: readonly ApprovalAssignment[]): ApprovalGate[] {
  if (!covering.some((a) => a.approvalRequiredFor.length > 0)) return [];
  const granted = covering.map((a) => effectivePermissions(a.permissions));
  return ALL_REMOTE_HELP_PERMISSIONS.flatMap((permission) => {
    const granting = covering.filter((_, i) => granted[i].includes(permission));
    if (granting.length === 0 || granting.some((a) => !a.approvalRequiredFor.includes(permission))) return [];
    return [{ permission, approverGroupIds: [...new Set(granting.flatMap((a) => a.approverGroupIds))].sort() }];
  });
}

/** What a step needs approved, given the gates over its target: `approvalNeed(stepPermissions(step), covering)`. */
export function stepApproval(gates: readonly ApprovalGate[], step: ApprovalStep): ApprovalNeed {
  return needOf(gates, stepPermissions(step));
}

function needOf(gates: readonly ApprovalGate[], needed: readonly RemoteHelpPermission[]): ApprovalNeed {
  const hit = gates.filter((g) => needed.includes(g.permission));
  return { permissions: hit.map((g) => g.permission), approverGroupIds: [...new Set(hit.flatMap((g) => g.approverGroupIds))].sort() };
}

/** Why someone may not decide an approval request; null when they may. */
export enum ApprovalDecisionRefusal {
  /** Decided, expired or cancelled already: the first decision is final. */
  NOT_PENDING = 'NOT_PENDING',
  /** The requester never approves their own request, even as a member of an approver group. */
  OWN_REQUEST = 'OWN_REQUEST',
  /** Not an enabled member of one of the request's approver groups (now). */
  NOT_AN_APPROVER = 'NOT_AN_APPROVER',
}

export interface ApprovalDecider {
  id: string;
  accountEnabled: boolean;
  /** Every group the decider belongs to now. */
  groupIds: readonly string[];
}

export interface DecidableApproval {
  requesterId: string;
  status: ApprovalStatus;
  approverGroupIds: readonly string[];
}

/**
 * Whether this person may decide this request now (with current data: someone removed from the
 * approver groups, or deactivated, may no longer decide). Returns the first refusal that applies,
 * in the order: NOT_PENDING, OWN_REQUEST, NOT_AN_APPROVER; null when they may.
 */
export function approvalDecisionRefusal(decider: ApprovalDecider, request: DecidableApproval): ApprovalDecisionRefusal | null {
  if (request.status !== ApprovalStatus.PENDING) return ApprovalDecisionRefusal.NOT_PENDING;
  if (decider.id === request.requesterId) return ApprovalDecisionRefusal.OWN_REQUEST;
  if (!decider.accountEnabled || !decider.groupIds.some((g) => request.approverGroupIds.includes(g))) return ApprovalDecisionRefusal.NOT_AN_APPROVER;
  return null;
}
