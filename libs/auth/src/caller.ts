/** Who is calling, as established by the gateway (after the directory lookup). */
export type Caller = { kind: 'user'; tenantId: string; userId: string; upn: string } | { kind: 'device'; tenantId: string; deviceId: string } | { kind: 'service'; service: string; tenantId?: string };

/** What a verified external token says, before the directory lookup. */
export interface ExternalIdentity {
  issuer: string;
  tenantId: string;
  /** User tokens: `oid` and/or `preferred_username`/`upn`. */
  userObjectId?: string;
  upn?: string;
  /** Device tokens (no user claims). */
  deviceId?: string;
  expiresAt: Date;
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * Validates the shape of a Caller and returns a canonical copy (known properties only,
 * in a fixed order, so that `JSON.stringify` of equal callers is equal), or undefined.
 */
export function parseCaller(value: unknown): Caller | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  switch (v['kind']) {
    case 'user':
      return nonEmpty(v['tenantId']) && nonEmpty(v['userId']) && nonEmpty(v['upn']) ? { kind: 'user', tenantId: v['tenantId'], userId: v['userId'], upn: v['upn'] } : undefined;
    case 'device':
      return nonEmpty(v['tenantId']) && nonEmpty(v['deviceId']) ? { kind: 'device', tenantId: v['tenantId'], deviceId: v['deviceId'] } : undefined;
    case 'service':
      if (!nonEmpty(v['service'])) return undefined;
      if (v['tenantId'] === undefined) return { kind: 'service', service: v['service'] };
      return nonEmpty(v['tenantId']) ? { kind: 'service', service: v['service'], tenantId: v['tenantId'] } : undefined;
    default:
      return undefined;
  }
}

export function isCaller(value: unknown): value is Caller {
  return parseCaller(value) !== undefined;
}

/** The `sub` of an internal token: `user:<userId>`, `device:<deviceId>` or `service:<name>`. */
export function callerSubject(caller: Caller): string {
  switch (caller.kind) {
    case 'user':
      return `user:${caller.userId}`;
    case 'device':
      return `device:${caller.deviceId}`;
    case 'service':
      return `service:${caller.service}`;
  }
}
