import { isUuid, SessionMode, type AccessDecisionRequest } from '@remote-help/domain';

/** Parsing of the /internal request bodies (pure): the parsed request, or the reason it is bad. */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export interface AdminPermissionsRequest {
  tenantId: string;
  userId: string;
}

function object(body: unknown): Record<string, unknown> | null {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
}

export function parseAdminPermissionsRequest(body: unknown): Parsed<AdminPermissionsRequest> {
  const o = object(body);
  if (!o) return { ok: false, error: 'the body must be a JSON object' };
  if (!isUuid(o['tenantId'])) return { ok: false, error: 'tenantId must be a UUID' };
  if (!isUuid(o['userId'])) return { ok: false, error: 'userId must be a UUID' };
  return { ok: true, value: { tenantId: (o['tenantId'] as string).toLowerCase(), userId: (o['userId'] as string).toLowerCase() } };
}

export function parseAccessDecisionRequest(body: unknown): Parsed<AccessDecisionRequest> {
  const o = object(body);
  if (!o) return { ok: false, error: 'the body must be a JSON object' };
  for (const f of ['tenantId', 'helperId', 'deviceId']) if (typeof o[f] !== 'string' || !o[f]) return { ok: false, error: `${f} must be a non-empty string` };
  if (!isUuid(o['tenantId'])) return { ok: false, error: 'tenantId must be a UUID' };
  if (!Object.values(SessionMode).includes(o['mode'] as SessionMode)) return { ok: false, error: `mode must be one of ${Object.values(SessionMode).join(', ')}` };
  const target = o['targetUserId'];
  if (target !== undefined && target !== null && (typeof target !== 'string' || !target)) return { ok: false, error: 'targetUserId must be a string or null' };
  const ack = o['complianceAcknowledged'];
  if (ack !== undefined && ack !== null && typeof ack !== 'boolean') return { ok: false, error: 'complianceAcknowledged must be a boolean' };
  const reasonGiven = o['reasonGiven'];
  if (reasonGiven !== undefined && reasonGiven !== null && typeof reasonGiven !== 'boolean') return { ok: false, error: 'reasonGiven must be a boolean' };
  const value: AccessDecisionRequest = {
    tenantId: (o['tenantId'] as string).toLowerCase(),
    helperId: (o['helperId'] as string).toLowerCase(),
    deviceId: (o['deviceId'] as string).toLowerCase(),
    mode: o['mode'] as SessionMode,
    targetUserId: typeof target === 'string' ? target.toLowerCase() : null,
  };
  if (typeof ack === 'boolean') value.complianceAcknowledged = ack;
  if (typeof reasonGiven === 'boolean') value.reasonGiven = reasonGiven;
  return { ok: true, value };
}
