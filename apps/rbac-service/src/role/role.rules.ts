import type { AdminPermission, RemoteHelpPermission } from '@remote-help/domain';
import { ALL_ADMIN_PERMISSIONS, ALL_REMOTE_HELP_PERMISSIONS, isUuid } from '@remote-help/domain';
import { badInput } from '@remote-help/service-kit';

/** Pure checks of role and assignment input (BAD_USER_INPUT with a clear message). */

export const MAX_NAME = 256;
export const MAX_DESCRIPTION = 1024;

/** A display name: trimmed, 1 to 256 characters. */
export function displayNameOf(value: unknown, what: string): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (!name) throw badInput(`the ${what} needs a name (it is empty)`);
  if (name.length > MAX_NAME) throw badInput(`the ${what} name is longer than ${MAX_NAME} characters`);
  return name;
}

/** An optional description: trimmed, empty -> null, at most 1024 characters. */
export function descriptionOf(value: unknown, what: string): string | null {
  if (value === null || value === undefined) return null;
  const d = String(value).trim();
  if (d.length > MAX_DESCRIPTION) throw badInput(`the ${what} description is longer than ${MAX_DESCRIPTION} characters`);
  return d || null;
}

/** Granted Remote Help permissions, without duplicates, in the enum's order. */
export function remoteHelpPermissionsOf(values: readonly unknown[] | null | undefined): RemoteHelpPermission[] {
  const given = new Set(values ?? []);
  for (const v of given) if (!ALL_REMOTE_HELP_PERMISSIONS.includes(v as RemoteHelpPermission)) throw badInput(`${String(v)} is not a Remote Help permission`);
  return ALL_REMOTE_HELP_PERMISSIONS.filter((p) => given.has(p));
}

/** Admin permissions, without duplicates, in the enum's order. */
export function adminPermissionsOf(values: readonly unknown[] | null | undefined): AdminPermission[] {
  const given = new Set(values ?? []);
  for (const v of given) if (!ALL_ADMIN_PERMISSIONS.includes(v as AdminPermission)) throw badInput(`${String(v)} is not an admin permission`);
  return ALL_ADMIN_PERMISSIONS.filter((p) => given.has(p));
}

export const MAX_GROUPS_PER_LIST = 500;

export const NO_APPROVER_GROUP = 'an assignment that requires approval needs at least one approver group (whose members may approve)';

/** The approval settings an assignment ends up with: permissions that need approval need an approver group. */
export function checkApprovalSettings(approvalRequiredFor: readonly unknown[], approverGroupIds: readonly string[]): void {
  if (approvalRequiredFor.length > 0 && approverGroupIds.length === 0) throw badInput(NO_APPROVER_GROUP);
}

/** Group ids of an assignment input: lower-cased, without duplicates; a malformed id is named. */
export function groupIdsOf(values: readonly string[] | null | undefined, what: 'admin' | 'scope' | 'approver'): string[] {
  const list = values ?? [];
  if (list.length > MAX_GROUPS_PER_LIST) throw badInput(`at most ${MAX_GROUPS_PER_LIST} ${what} groups per assignment`);
  for (const id of list) if (!isUuid(id)) throw badInput(`${what} group ${JSON.stringify(id)} is not a group of this tenant`);
  return [...new Set(list.map((id) => id.toLowerCase()))];
}
