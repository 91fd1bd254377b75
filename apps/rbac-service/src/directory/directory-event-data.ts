import { isUuid } from '@remote-help/domain';
import type {
  DeviceSnapshot,
  GroupCreatedData,
  GroupMembersChangedData,
  LicenseSnapshot,
  SettingsSnapshot,
  TenantCreatedData,
  UserSnapshot,
} from '@remote-help/events';

/**
 * Checks the `data` of tenant-service's events (libs/events contracts/directory-events.ts) before
 * they touch the local copy. Each parser returns the data with known fields only, or throws a
 * DirectoryDataError saying what is wrong; the consumer logs and skips such an event (retrying it
 * would never succeed).
 */
export class DirectoryDataError extends Error {}

const CLOUDS = ['COMMERCIAL', 'GCC', 'GCC_HIGH', 'DOD'] as const;
const PLATFORMS = ['WINDOWS', 'WINDOWS_ARM64', 'WINDOWS_365', 'ANDROID_DEDICATED', 'MACOS', 'OTHER'] as const;
const COMPLIANCE = ['COMPLIANT', 'NONCOMPLIANT', 'UNKNOWN'] as const;
const LICENSE_KINDS = ['REMOTE_HELP_ADDON', 'INTUNE_SUITE'] as const;
const MEMBER_KINDS = ['USERS', 'DEVICES', 'MIXED'] as const;


type Obj = Record<string, unknown>;

function obj(v: unknown, what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DirectoryDataError(`${what} must be an object`);
  return v as Obj;
}
function uuid(o: Obj, f: string): string {
  if (!isUuid(o[f])) throw new DirectoryDataError(`${f} must be a UUID`);
  return (o[f] as string).toLowerCase();
}
function optUuid(o: Obj, f: string): string | null {
  return o[f] === null || o[f] === undefined ? null : uuid(o, f);
}
function str(o: Obj, f: string): string {
  if (typeof o[f] !== 'string') throw new DirectoryDataError(`${f} must be a string`);
  return o[f] as string;
}
function optStr(o: Obj, f: string): string | null {
  return o[f] === null || o[f] === undefined ? null : str(o, f);
}
function bool(o: Obj, f: string): boolean {
  if (typeof o[f] !== 'boolean') throw new DirectoryDataError(`${f} must be a boolean`);
  return o[f] as boolean;
}
function oneOf<T extends string>(o: Obj, f: string, values: readonly T[]): T {
  if (!values.includes(o[f] as T)) throw new DirectoryDataError(`${f} must be one of ${values.join(', ')}`);
  return o[f] as T;
}
function version(o: Obj): number {
  const v = o['version'];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new DirectoryDataError('version must be an integer >= 1');
  return v;
}
function time(o: Obj, f: string): string {
  const v = str(o, f);
  if (Number.isNaN(Date.parse(v))) throw new DirectoryDataError(`${f} must be a timestamp`);
  return new Date(v).toISOString();
}
function optTime(o: Obj, f: string): string | null {
  return o[f] === null || o[f] === undefined ? null : time(o, f);
}
function uuids(o: Obj, f: string): string[] {
  const v = o[f] ?? [];
  if (!Array.isArray(v) || !v.every(isUuid)) throw new DirectoryDataError(`${f} must be a list of UUIDs`);
  return [...new Set((v as string[]).map((x) => x.toLowerCase()))];
}
/** The event's tenant must be the data's tenant. */
function sameTenant(envelopeTenantId: string, tenantId: string) {
  if (envelopeTenantId.toLowerCase() !== tenantId) throw new DirectoryDataError(`the event's tenantId ${envelopeTenantId} is not the data's ${tenantId}`);
}

/** tenant.created; `adminGroupId` may be missing in events of an older tenant-service (then no built-in assignment). */
export type TenantCreated = Omit<TenantCreatedData, 'adminGroupId'> & { adminGroupId: string | null };

export function parseTenantCreated(data: unknown, envelopeTenantId: string): TenantCreated {
  const o = obj(data, 'data');
  const d: TenantCreated = {
    tenantId: uuid(o, 'tenantId'),
    displayName: str(o, 'displayName'),
    verifiedDomains: Array.isArray(o['verifiedDomains']) ? (o['verifiedDomains'] as unknown[]).filter((x): x is string => typeof x === 'string') : [],
    cloud: oneOf(o, 'cloud', CLOUDS),
    adminUserId: uuid(o, 'adminUserId'),
    adminGroupId: optUuid(o, 'adminGroupId'),
  };
  sameTenant(envelopeTenantId, d.tenantId);
  return d;
}

export function parseSettings(data: unknown, envelopeTenantId: string): SettingsSnapshot {
  const o = obj(data, 'data');
  const d: SettingsSnapshot = {
    tenantId: uuid(o, 'tenantId'),
    cloud: oneOf(o, 'cloud', CLOUDS),
    remoteHelpEnabled: bool(o, 'remoteHelpEnabled'),
    allowUnenrolledDevices: bool(o, 'allowUnenrolledDevices'),
    chatDisabled: bool(o, 'chatDisabled'),
    updatedAt: optTime(o, 'updatedAt'),
    updatedBy: optUuid(o, 'updatedBy'),
    version: version(o),
  };
  sameTenant(envelopeTenantId, d.tenantId);
  return d;
}

function parseLicense(v: unknown): LicenseSnapshot {
  const o = obj(v, 'licence');
  return { kind: oneOf(o, 'kind', LICENSE_KINDS), activeFrom: time(o, 'activeFrom'), expiresAt: optTime(o, 'expiresAt') };
}

export function parseUser(data: unknown, envelopeTenantId: string): UserSnapshot {
  const o = obj(data, 'data');
  if (!Array.isArray(o['licenses'])) throw new DirectoryDataError('licenses must be a list');
  const d: UserSnapshot = {
    id: uuid(o, 'id'),
    tenantId: uuid(o, 'tenantId'),
    userPrincipalName: str(o, 'userPrincipalName'),
    displayName: str(o, 'displayName'),
    givenName: optStr(o, 'givenName'),
    surname: optStr(o, 'surname'),
    jobTitle: optStr(o, 'jobTitle'),
    companyName: optStr(o, 'companyName'),
    profilePictureUrl: optStr(o, 'profilePictureUrl'),
    licenses: (o['licenses'] as unknown[]).map(parseLicense),
    version: version(o),
  };
  sameTenant(envelopeTenantId, d.tenantId);
  return d;
}

export function parseDevice(data: unknown, envelopeTenantId: string): DeviceSnapshot {
  const o = obj(data, 'data');
  const d: DeviceSnapshot = {
    id: uuid(o, 'id'),
    tenantId: uuid(o, 'tenantId'),
    displayName: str(o, 'displayName'),
    platform: oneOf(o, 'platform', PLATFORMS),
    osVersion: str(o, 'osVersion'),
    manufacturer: optStr(o, 'manufacturer'),
    enrolled: bool(o, 'enrolled'),
    entraRegistered: bool(o, 'entraRegistered'),
    compliance: oneOf(o, 'compliance', COMPLIANCE),
    primaryUserId: optUuid(o, 'primaryUserId'),
    version: version(o),
  };
  sameTenant(envelopeTenantId, d.tenantId);
  return d;
}

export function parseGroupCreated(data: unknown, envelopeTenantId: string): GroupCreatedData {
  const o = obj(data, 'data');
  const d: GroupCreatedData = { id: uuid(o, 'id'), tenantId: uuid(o, 'tenantId'), displayName: str(o, 'displayName'), memberKind: oneOf(o, 'memberKind', MEMBER_KINDS) };
  sameTenant(envelopeTenantId, d.tenantId);
  return d;
}

export function parseMembersChanged(data: unknown, envelopeTenantId: string): GroupMembersChangedData {
  const o = obj(data, 'data');
  const d: GroupMembersChangedData = { groupId: uuid(o, 'groupId'), tenantId: uuid(o, 'tenantId'), userIds: uuids(o, 'userIds'), deviceIds: uuids(o, 'deviceIds') };
  sameTenant(envelopeTenantId, d.tenantId);
  return d;
}
