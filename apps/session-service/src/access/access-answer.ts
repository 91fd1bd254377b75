import type { AccessDecisionRequest, Decision } from '@remote-help/domain';
import { ComplianceState, DenialReason, Platform, RemoteHelpPermission } from '@remote-help/domain';

/** What session-service asks rbac-service's POST /internal/access-decisions. */
export type AccessQuery = AccessDecisionRequest;

export type DecisionAnswer = Decision;

export interface DeviceAnswer {
  id: string;
  platform: Platform;
  osVersion: string;
  manufacturer: string | null;
  enrolled: boolean;
  entraRegistered: boolean;
  compliance: ComplianceState;
  primaryUserId: string | null;
}

export interface TenantAnswer {
  chatDisabled: boolean;
  settingsVersion: number;
}

export interface AccessAnswer {
  decision: DecisionAnswer;
  /** null when the device is unknown in the tenant. */
  device: DeviceAnswer | null;
  /** The tenant's settings as rbac-service's copy has them (null when unknown there). */
  tenant: TenantAnswer | null;
}

export class MalformedAnswer extends Error {}

const obj = (v: unknown): Record<string, unknown> | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

function enumList<T extends string>(v: unknown, values: Record<string, T>, what: string): T[] {
  if (!Array.isArray(v)) throw new MalformedAnswer(`${what} is not a list`);
  const known = new Set<string>(Object.values(values));
  for (const x of v) if (typeof x !== 'string' || !known.has(x)) throw new MalformedAnswer(`${what} holds an unknown value ${JSON.stringify(x)}`);
  return v as T[];
}

/**
 * Reads rbac-service's answer strictly: anything unexpected is a MalformedAnswer, which the
 * caller treats like no answer at all (fail closed). `allowed` must agree with `reasons`.
 */
export function parseAccessAnswer(body: unknown): AccessAnswer {
  const o = obj(body);
  const d = obj(o?.decision);
  if (!o || !d) throw new MalformedAnswer('no decision in the answer');
  if (typeof d.allowed !== 'boolean') throw new MalformedAnswer('decision.allowed is not a boolean');
  const reasons = enumList(d.reasons, DenialReason, 'decision.reasons');
  const grantedPermissions = enumList(d.grantedPermissions, RemoteHelpPermission, 'decision.grantedPermissions');
  if (d.allowed !== (reasons.length === 0)) throw new MalformedAnswer('decision.allowed disagrees with decision.reasons');
  // Absent from an rbac-service that predates approvals (which then has no gated assignment).
  const approvalRequiredFor = d.approvalRequiredFor === undefined ? [] : enumList(d.approvalRequiredFor, RemoteHelpPermission, 'decision.approvalRequiredFor');
  const gates = d.approvalGates === undefined ? [] : d.approvalGates;
  if (!Array.isArray(gates)) throw new MalformedAnswer('decision.approvalGates is not a list');
  const approvalGates = gates.map((g: unknown) => {
    const o = obj(g);
    const ids = o?.approverGroupIds;
    if (!o || !Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) throw new MalformedAnswer('decision.approvalGates holds a malformed gate');
    return { permission: enumList([o.permission], RemoteHelpPermission, 'decision.approvalGates')[0], approverGroupIds: ids as string[] };
  });

  let device: DeviceAnswer | null = null;
  const v = obj(o.device);
  if (v) {
    if (typeof v.id !== 'string' || !Object.values(Platform).includes(v.platform as Platform) || !Object.values(ComplianceState).includes(v.compliance as ComplianceState)) {
      throw new MalformedAnswer('device is malformed');
    }
    if (typeof v.enrolled !== 'boolean' || typeof v.entraRegistered !== 'boolean') throw new MalformedAnswer('device is malformed');
    device = {
      id: v.id,
      platform: v.platform as Platform,
      osVersion: String(v.osVersion ?? ''),
      manufacturer: typeof v.manufacturer === 'string' ? v.manufacturer : null,
      enrolled: v.enrolled,
      entraRegistered: v.entraRegistered,
      compliance: v.compliance as ComplianceState,
      primaryUserId: typeof v.primaryUserId === 'string' ? v.primaryUserId : null,
    };
  } else if (o.device !== null && o.device !== undefined) {
    throw new MalformedAnswer('device is malformed');
  }

  const t = obj(o.tenant);
  const tenant = t && typeof t.chatDisabled === 'boolean' && Number.isInteger(t.settingsVersion) ? { chatDisabled: t.chatDisabled, settingsVersion: t.settingsVersion as number } : null;
  return { decision: { allowed: d.allowed, reasons, grantedPermissions, approvalRequiredFor, approvalGates }, device, tenant };
}
