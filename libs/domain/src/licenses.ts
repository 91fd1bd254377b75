import { LicenseKind } from './directory';

/**
 * A Remote Help licence as the decision sees it: the Remote Help add-on or the Intune Suite
 * (both grant Remote Help). A purchase or trial can take 30 minutes to 8 hours to become
 * active, hence `activeFrom`; `expiresAt` null means it never expires.
 */
export interface LicenseFacts {
  kind: LicenseKind;
  activeFrom: Date;
  expiresAt: Date | null;
}

/**
 * - `ACTIVE`: at least one licence is active now;
 * - `NOT_YET_ACTIVE`: none is active, but at least one will become active later
 *   (its `activeFrom` is in the future and it does not expire before that);
 * - `NONE`: no licence, or only expired ones (an expired licence counts as none).
 */
export type LicenseStatus = 'ACTIVE' | 'NOT_YET_ACTIVE' | 'NONE';

const REMOTE_HELP_LICENSE_KINDS: ReadonlySet<string> = new Set(Object.values(LicenseKind));

/** Whether the licence grants Remote Help now: a Remote Help kind, `activeFrom <= now` and (`expiresAt` null or `> now`). */
export function isLicenseActive(license: LicenseFacts, now: Date): boolean {
  const t = now.getTime();
  return REMOTE_HELP_LICENSE_KINDS.has(license.kind) && license.activeFrom.getTime() <= t && (license.expiresAt === null || license.expiresAt.getTime() > t);
}

/** Whether the licence is not active yet but will be: `activeFrom > now` and (`expiresAt` null or `> activeFrom`). */
export function isLicensePending(license: LicenseFacts, now: Date): boolean {
  return REMOTE_HELP_LICENSE_KINDS.has(license.kind) && license.activeFrom.getTime() > now.getTime() && (license.expiresAt === null || license.expiresAt.getTime() > license.activeFrom.getTime());
}

/** The status of a user's Remote Help licences at `now` (see {@link LicenseStatus}). */
export function licenseStatus(licenses: readonly LicenseFacts[], now: Date): LicenseStatus {
  if (licenses.some((l) => isLicenseActive(l, now))) return 'ACTIVE';
  if (licenses.some((l) => isLicensePending(l, now))) return 'NOT_YET_ACTIVE';
  return 'NONE';
}

/** `User.hasActiveRemoteHelpLicense`: an active add-on or Intune Suite licence at `now`. */
export function hasActiveRemoteHelpLicense(licenses: readonly LicenseFacts[], now: Date): boolean {
  return licenseStatus(licenses, now) === 'ACTIVE';
}
