import type { Caller } from '@remote-help/auth';
import { AdminPermission } from '@remote-help/domain';

/** Who may ask checkRemoteHelpAccess about a helper: the helper about themself, or an admin troubleshooting. */
export const CHECK_ACCESS_ADMIN_PERMISSIONS: readonly AdminPermission[] = [AdminPermission.MANAGE_ROLES, AdminPermission.READ_REPORTS];

export function mayCheckAccess(caller: Caller, helperId: string, callerAdminPermissions: readonly AdminPermission[]): boolean {
  if (caller.kind !== 'user') return false;
  if (caller.userId.toLowerCase() === helperId.toLowerCase()) return true;
  return CHECK_ACCESS_ADMIN_PERMISSIONS.some((p) => callerAdminPermissions.includes(p));
}

/**
 * Who may call rbac-service's /internal endpoints: a service (session-service, the other
 * subgraphs, the gateway as the service "gateway"), never a user's request; and a caller that
 * carries a tenant only about that tenant. Returns the reason for a refusal, or null.
 */
export function internalCallerRefusal(caller: Caller | undefined, tenantId: string): string | null {
  if (!caller || caller.kind !== 'service') return 'only services may call this endpoint';
  if (caller.tenantId !== undefined && caller.tenantId.toLowerCase() !== tenantId.toLowerCase()) return "the request's tenantId is not the caller's tenant";
  return null;
}
