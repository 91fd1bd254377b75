/** Directory vocabulary shared by the services (values match the public GraphQL enums). */
export enum CloudEnvironment {
  COMMERCIAL = 'COMMERCIAL',
  GCC = 'GCC',
  GCC_HIGH = 'GCC_HIGH',
  DOD = 'DOD',
}

export enum Platform {
  WINDOWS = 'WINDOWS',
  WINDOWS_ARM64 = 'WINDOWS_ARM64',
  WINDOWS_365 = 'WINDOWS_365',
  ANDROID_DEDICATED = 'ANDROID_DEDICATED',
  MACOS = 'MACOS',
  OTHER = 'OTHER',
}

export enum ComplianceState {
  COMPLIANT = 'COMPLIANT',
  NONCOMPLIANT = 'NONCOMPLIANT',
  UNKNOWN = 'UNKNOWN',
}

export enum LicenseKind {
  REMOTE_HELP_ADDON = 'REMOTE_HELP_ADDON',
  INTUNE_SUITE = 'INTUNE_SUITE',
}

/** What a group may hold: users only, devices only, or both. */
export enum GroupMemberKind {
  USERS = 'USERS',
  DEVICES = 'DEVICES',
  MIXED = 'MIXED',
}

/** The domain of a user principal name (`ada@contoso.com` -> `contoso.com`), lower-cased. */
export function upnDomain(upn: string): string | null {
  const at = upn.lastIndexOf('@');
  return at > 0 && at < upn.length - 1 ? upn.slice(at + 1).toLowerCase() : null;
}

/** A user principal name as the directory accepts it: `local@domain.tld`. */
export function isValidUpn(upn: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(upn) && upn.length <= 256;
}
