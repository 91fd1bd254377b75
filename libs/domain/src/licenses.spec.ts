import { LicenseKind } from './directory';
import type { LicenseFacts } from './licenses';
import { hasActiveRemoteHelpLicense, isLicenseActive, licenseStatus } from './licenses';

const NOW = new Date('2025-06-01T12:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const H = 3_600_000;
const lic = (kind: LicenseKind, from: number, until: number | null): LicenseFacts => ({
  kind,
  activeFrom: at(from),
  expiresAt: until === null ? null : at(until),
});

describe('licences', () => {
  const rows: [string, LicenseFacts[], 'ACTIVE' | 'NOT_YET_ACTIVE' | 'NONE'][] = [
    ['no licence', [], 'NONE'],
    ['add-on active, no expiry', [lic(LicenseKind.REMOTE_HELP_ADDON, -H, null)], 'ACTIVE'],
    ['suite active, no expiry', [lic(LicenseKind.INTUNE_SUITE, -H, null)], 'ACTIVE'],
    ['add-on active since exactly now', [lic(LicenseKind.REMOTE_HELP_ADDON, 0, null)], 'ACTIVE'],
    ['suite active until later', [lic(LicenseKind.INTUNE_SUITE, -H, H)], 'ACTIVE'],
    ['add-on expired', [lic(LicenseKind.REMOTE_HELP_ADDON, -2 * H, -H)], 'NONE'],
    ['suite expiring exactly now (expired)', [lic(LicenseKind.INTUNE_SUITE, -2 * H, 0)], 'NONE'],
    ['add-on active in 30 min', [lic(LicenseKind.REMOTE_HELP_ADDON, H / 2, null)], 'NOT_YET_ACTIVE'],
    ['suite active in 8 h, expiring in a year', [lic(LicenseKind.INTUNE_SUITE, 8 * H, 8760 * H)], 'NOT_YET_ACTIVE'],
    ['future licence that expires before it starts (never active)', [lic(LicenseKind.INTUNE_SUITE, 2 * H, H)], 'NONE'],
    ['expired add-on and pending suite', [lic(LicenseKind.REMOTE_HELP_ADDON, -2 * H, -H), lic(LicenseKind.INTUNE_SUITE, H, null)], 'NOT_YET_ACTIVE'],
    ['pending add-on and active suite', [lic(LicenseKind.REMOTE_HELP_ADDON, H, null), lic(LicenseKind.INTUNE_SUITE, -H, null)], 'ACTIVE'],
    ['two expired', [lic(LicenseKind.REMOTE_HELP_ADDON, -3 * H, -2 * H), lic(LicenseKind.INTUNE_SUITE, -2 * H, -H)], 'NONE'],
    ['unknown kind (not a Remote Help licence)', [{ kind: 'E5' as LicenseKind, activeFrom: at(-H), expiresAt: null }], 'NONE'],
  ];

  it.each(rows)('%s', (_name, licenses, expected) => {
    expect(licenseStatus(licenses, NOW)).toBe(expected);
    expect(hasActiveRemoteHelpLicense(licenses, NOW)).toBe(expected === 'ACTIVE');
  });

  it('a licence is active from activeFrom (inclusive) to expiresAt (exclusive)', () => {
    const l = lic(LicenseKind.REMOTE_HELP_ADDON, 0, H);
    expect(isLicenseActive(l, at(-1))).toBe(false);
    expect(isLicenseActive(l, at(0))).toBe(true);
    expect(isLicenseActive(l, at(H - 1))).toBe(true);
    expect(isLicenseActive(l, at(H))).toBe(false);
  });
});
