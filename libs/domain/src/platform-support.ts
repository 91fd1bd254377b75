import { CloudEnvironment, Platform } from './directory';
import { SessionMode } from './sessions';

/**
 * Where Remote Help runs, from the product documentation:
 * - Windows 10/11 (x64) and Windows 10/11 on ARM64;
 * - Windows 365 (Cloud PCs), whatever the version string;
 * - Android Enterprise dedicated devices from Samsung or Zebra (only these two manufacturers);
 * - macOS 12, 13, 14 and 15;
 * - nothing else (`OTHER` never), and nothing at all on GCC High or DoD tenants (COMMERCIAL and
 *   GCC are supported).
 * Unattended sessions exist only on Android dedicated devices.
 */
export interface PlatformFacts {
  platform: Platform;
  osVersion: string;
  manufacturer: string | null;
}

export type PlatformSupport = { supported: true } | { supported: false; reason: string };

const SUPPORTED: PlatformSupport = { supported: true };
const unsupported = (reason: string): PlatformSupport => ({ supported: false, reason });

/** False for GCC High and DoD: Remote Help isn't offered there. COMMERCIAL and GCC are supported. */
export function cloudSupportsRemoteHelp(cloud: CloudEnvironment): boolean {
  return cloud === CloudEnvironment.COMMERCIAL || cloud === CloudEnvironment.GCC;
}

/** The first dotted number in a version string, read leniently: '10.0.19045', '11', 'Windows 11 23H2', 'macOS 13.6'. */
export function parseOsVersion(osVersion: string): { major: number; minor: number | null; build: number | null } | null {
  const m = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(osVersion ?? '');
  if (!m) return null;
  return {
    major: Number(m[1]),
    minor: m[2] === undefined ? null : Number(m[2]),
    build: m[3] === undefined ? null : Number(m[3]),
  };
}

/**
 * The Windows release of a version string: 10 or 11 for those releases (a `10.x.b` version with
 * build `b >= 22000` is Windows 11, as Windows 11 still reports kernel version 10.0), or null for
 * anything else (Windows 7/8/8.1, Server years, unreadable strings).
 */
export function windowsRelease(osVersion: string): 10 | 11 | null {
  const v = parseOsVersion(osVersion);
  if (!v) return null;
  if (v.major === 11) return 11;
  if (v.major === 10) return v.build !== null && v.build >= 22000 ? 11 : 10;
  return null;
}

/** The macOS major release of a version string ('14.5' -> 14, 'macOS 13.6' -> 13), or null. */
export function macOsRelease(osVersion: string): number | null {
  return parseOsVersion(osVersion)?.major ?? null;
}

export const SUPPORTED_ANDROID_MANUFACTURERS: readonly string[] = ['samsung', 'zebra'];

/**
 * Whether the manufacturer is Samsung or Zebra: compared case-insensitively on the first word,
 * so 'SAMSUNG', 'samsung' and 'Zebra Technologies' qualify; null or anything else does not.
 */
export function isSupportedAndroidManufacturer(manufacturer: string | null): boolean {
  if (manufacturer === null) return false;
  const first =
    manufacturer
      .trim()
      .toLowerCase()
      .split(/[\s,.]+/)[0] ?? '';
  return SUPPORTED_ANDROID_MANUFACTURERS.includes(first);
}

/** Support of the device itself, whatever the cloud: the platform, OS version and manufacturer rules above. */
export function devicePlatformSupport(d: PlatformFacts): PlatformSupport {
  switch (d.platform) {
    case Platform.WINDOWS:
    case Platform.WINDOWS_ARM64: {
      const label = d.platform === Platform.WINDOWS ? 'Windows' : 'Windows on ARM64';
      return windowsRelease(d.osVersion) !== null ? SUPPORTED : unsupported(`${label} version '${d.osVersion}' is not supported: Remote Help needs Windows 10 or 11.`);
    }
    case Platform.WINDOWS_365:
      return SUPPORTED;
    case Platform.ANDROID_DEDICATED:
      return isSupportedAndroidManufacturer(d.manufacturer)
        ? SUPPORTED
        : unsupported(
            d.manufacturer === null
              ? 'Android dedicated devices are supported only from Samsung or Zebra, and this device has no manufacturer.'
              : `Android dedicated devices are supported only from Samsung or Zebra, not '${d.manufacturer}'.`,
          );
    case Platform.MACOS: {
      const major = macOsRelease(d.osVersion);
      return major !== null && major >= 12 && major <= 15 ? SUPPORTED : unsupported(`macOS version '${d.osVersion}' is not supported: Remote Help needs macOS 12, 13, 14 or 15.`);
    }
    default:
      return unsupported(`Remote Help does not support the platform ${String(d.platform)}.`);
  }
}

/** `devicePlatformSupport`, and nothing on GCC High or DoD (the cloud is checked first). */
export function platformSupport(d: PlatformFacts, cloud: CloudEnvironment): PlatformSupport {
  if (!cloudSupportsRemoteHelp(cloud)) {
    const name = cloud === CloudEnvironment.DOD ? 'DoD' : cloud === CloudEnvironment.GCC_HIGH ? 'GCC High' : String(cloud);
    return unsupported(`Remote Help isn't supported on ${name} tenants.`);
  }
  return devicePlatformSupport(d);
}

/** Unattended sessions only on Android dedicated devices; view-only and full control anywhere supported. */
export function modeSupportedOn(platform: Platform, mode: SessionMode): boolean {
  return mode !== SessionMode.UNATTENDED || platform === Platform.ANDROID_DEDICATED;
}
