import type { RoleAssignment } from '../assignment/role-assignment.model';
import type { Role } from './role.model';

/**
 * Per-request memo (kept on the GraphQL context) of the tenant's roles and assignments, so that
 * `roleAssignments { role }` or `roles { assignments }` read each table once per request, not
 * once per item.
 */
interface MemoContext {
  rbacMemo?: { roles?: Promise<Map<string, Role>>; assignmentsByRole?: Promise<Map<string, RoleAssignment[]>> };
}

export function memoRoles(ctx: MemoContext, load: () => Promise<Role[]>): Promise<Map<string, Role>> {
  const memo = (ctx.rbacMemo ??= {});
  return (memo.roles ??= load().then((list) => new Map(list.map((r) => [r.id, r]))));
}

export function memoAssignmentsByRole(ctx: MemoContext, load: () => Promise<RoleAssignment[]>): Promise<Map<string, RoleAssignment[]>> {
  const memo = (ctx.rbacMemo ??= {});
  return (memo.assignmentsByRole ??= load().then((list) => {
    const byRole = new Map<string, RoleAssignment[]>();
    for (const a of list) {
      const same = byRole.get(a.roleId);
      if (same) same.push(a);
      else byRole.set(a.roleId, [a]);
    }
    return byRole;
  }));
}
