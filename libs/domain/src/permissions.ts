/**
 * Remote Help permissions and their implications, as the product defines them:
 * Take full control implies View screen; Elevation implies Take full control and View screen;
 * Unattended control implies Elevation, Take full control and View screen. Offer remote
 * assistance implies nothing and is implied by nothing; it is needed to start any session.
 */
export enum RemoteHelpPermission {
  VIEW_SCREEN = 'VIEW_SCREEN',
  TAKE_FULL_CONTROL = 'TAKE_FULL_CONTROL',
  ELEVATION = 'ELEVATION',
  UNATTENDED_CONTROL = 'UNATTENDED_CONTROL',
  OFFER_REMOTE_ASSISTANCE = 'OFFER_REMOTE_ASSISTANCE',
}

export const ALL_REMOTE_HELP_PERMISSIONS: readonly RemoteHelpPermission[] = Object.values(RemoteHelpPermission);

/** Administration of the tenant itself. */
export enum AdminPermission {
  MANAGE_SETTINGS = 'MANAGE_SETTINGS',
  MANAGE_DIRECTORY = 'MANAGE_DIRECTORY',
  MANAGE_ROLES = 'MANAGE_ROLES',
  READ_REPORTS = 'READ_REPORTS',
  READ_AUDIT_LOG = 'READ_AUDIT_LOG',
  TERMINATE_SESSIONS = 'TERMINATE_SESSIONS',
}

export const ALL_ADMIN_PERMISSIONS: readonly AdminPermission[] = Object.values(AdminPermission);

const IMPLIES: Record<RemoteHelpPermission, readonly RemoteHelpPermission[]> = {
  VIEW_SCREEN: [],
  TAKE_FULL_CONTROL: [RemoteHelpPermission.VIEW_SCREEN],
  ELEVATION: [RemoteHelpPermission.TAKE_FULL_CONTROL, RemoteHelpPermission.VIEW_SCREEN],
  UNATTENDED_CONTROL: [RemoteHelpPermission.ELEVATION, RemoteHelpPermission.TAKE_FULL_CONTROL, RemoteHelpPermission.VIEW_SCREEN],
  OFFER_REMOTE_ASSISTANCE: [],
};

/** The granted permissions with their implications applied, in the enum's order, without duplicates. */
export function effectivePermissions(granted: Iterable<RemoteHelpPermission>): RemoteHelpPermission[] {
  const out = new Set<RemoteHelpPermission>();
  for (const p of granted) {
    if (!(p in IMPLIES)) throw new Error(`unknown Remote Help permission: ${String(p)}`);
    out.add(p);
    for (const q of IMPLIES[p]) out.add(q);
  }
  return ALL_REMOTE_HELP_PERMISSIONS.filter((p) => out.has(p));
}
