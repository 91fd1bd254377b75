import { CloudEnvironment as C, Platform as P } from './directory';
import { cloudSupportsRemoteHelp, modeSupportedOn, platformSupport, windowsRelease } from './platform-support';
import { SessionMode } from './sessions';

type Row = [P, string, string | null, C, boolean, RegExp?];

/** platform, osVersion, manufacturer, cloud -> supported (and a pattern of the reason when not). */
const ROWS: Row[] = [
  [P.WINDOWS, '10.0.19045', null, C.COMMERCIAL, true],
  [P.WINDOWS, '10.0.22631', null, C.COMMERCIAL, true], // Windows 11 reporting 10.0
  [P.WINDOWS, '11', null, C.COMMERCIAL, true],
  [P.WINDOWS, '11.0.22631', 'Dell', C.GCC, true],
  [P.WINDOWS, 'Windows 11 23H2', null, C.COMMERCIAL, true],
  [P.WINDOWS, 'Windows 10 22H2', null, C.GCC, true],
  [P.WINDOWS, '10', null, C.COMMERCIAL, true],
  [P.WINDOWS, '6.1.7601', null, C.COMMERCIAL, false, /Windows 10 or 11/],
  [P.WINDOWS, '6.3.9600', null, C.COMMERCIAL, false, /Windows 10 or 11/],
  [P.WINDOWS, 'Windows Server 2019', null, C.COMMERCIAL, false, /'Windows Server 2019'/],
  [P.WINDOWS, '', null, C.COMMERCIAL, false, /Windows 10 or 11/],
  [P.WINDOWS, 'unknown', null, C.COMMERCIAL, false, /Windows 10 or 11/],
  [P.WINDOWS, '10.0.19045', null, C.GCC_HIGH, false, /GCC High/],
  [P.WINDOWS, '11', null, C.DOD, false, /DoD/],
  [P.WINDOWS_ARM64, '10.0.19041', 'Lenovo', C.COMMERCIAL, true],
  [P.WINDOWS_ARM64, '11.0.26100', 'Microsoft', C.GCC, true],
  [P.WINDOWS_ARM64, '8.1', null, C.COMMERCIAL, false, /ARM64.*Windows 10 or 11/],
  [P.WINDOWS_ARM64, '11', null, C.GCC_HIGH, false, /GCC High/],
  [P.WINDOWS_365, '10.0.22631', null, C.COMMERCIAL, true],
  [P.WINDOWS_365, '', null, C.GCC, true],
  [P.WINDOWS_365, 'anything', null, C.DOD, false, /DoD/],
  [P.ANDROID_DEDICATED, '14', 'Samsung', C.COMMERCIAL, true],
  [P.ANDROID_DEDICATED, '13', 'SAMSUNG', C.GCC, true],
  [P.ANDROID_DEDICATED, '11', 'zebra', C.COMMERCIAL, true],
  [P.ANDROID_DEDICATED, '11', 'Zebra Technologies', C.COMMERCIAL, true],
  [P.ANDROID_DEDICATED, '14', 'Google', C.COMMERCIAL, false, /Samsung or Zebra, not 'Google'/],
  [P.ANDROID_DEDICATED, '14', null, C.COMMERCIAL, false, /no manufacturer/],
  [P.ANDROID_DEDICATED, '14', '', C.COMMERCIAL, false, /Samsung or Zebra/],
  [P.ANDROID_DEDICATED, '14', 'Samsung', C.GCC_HIGH, false, /GCC High/],
  [P.MACOS, '12.7.1', 'Apple', C.COMMERCIAL, true],
  [P.MACOS, '13', null, C.COMMERCIAL, true],
  [P.MACOS, 'macOS 13.6', null, C.GCC, true],
  [P.MACOS, '14.5', null, C.COMMERCIAL, true],
  [P.MACOS, '15', null, C.COMMERCIAL, true],
  [P.MACOS, '11.7.10', null, C.COMMERCIAL, false, /macOS 12, 13, 14 or 15/],
  [P.MACOS, '10.15.7', null, C.COMMERCIAL, false, /'10.15.7'/],
  [P.MACOS, '26.0', null, C.COMMERCIAL, false, /macOS 12, 13, 14 or 15/],
  [P.MACOS, 'Sonoma', null, C.COMMERCIAL, false, /macOS 12, 13, 14 or 15/],
  [P.MACOS, '14.5', null, C.DOD, false, /DoD/],
  [P.OTHER, '17.5', 'Apple', C.COMMERCIAL, false, /OTHER/],
  [P.OTHER, '', null, C.GCC, false, /OTHER/],
];

describe('platformSupport', () => {
  // The table against the code's own list: a platform added to Platform without rows here fails.
  it('the table has a supported and a refused row for every platform the code knows (OTHER: refused only)', () => {
    const seen = (supported: boolean) => [...new Set(ROWS.filter((r) => r[4] === supported).map((r) => r[0]))].sort();
    expect(seen(true)).toEqual(
      Object.values(P)
        .filter((p) => p !== P.OTHER)
        .sort(),
    );
    expect(seen(false)).toEqual(Object.values(P).sort());
  });

  it.each(
    ROWS.map(([platform, osVersion, manufacturer, cloud, supported, reason]) => ({
      name: `${platform} '${osVersion}' ${manufacturer ?? '(no manufacturer)'} on ${cloud}`,
      platform,
      osVersion,
      manufacturer,
      cloud,
      supported,
      reason,
    })),
  )('$name', ({ platform, osVersion, manufacturer, cloud, supported, reason }) => {
    const result = platformSupport({ platform, osVersion, manufacturer }, cloud);
    expect(result.supported).toBe(supported);
    if (!result.supported) expect(result.reason).toMatch(reason!);
  });

  it('supports COMMERCIAL and GCC only', () => {
    expect([C.COMMERCIAL, C.GCC, C.GCC_HIGH, C.DOD].map(cloudSupportsRemoteHelp)).toEqual([true, true, false, false]);
  });

  it('tells Windows 11 from a 10.0 build number', () => {
    expect(windowsRelease('10.0.19045')).toBe(10);
    expect(windowsRelease('10.0.21999')).toBe(10);
    expect(windowsRelease('10.0.22000')).toBe(11);
    expect(windowsRelease('Windows 11 23H2')).toBe(11);
    expect(windowsRelease('6.1')).toBeNull();
  });

  it('allows unattended sessions only on Android dedicated devices', () => {
    for (const p of Object.values(P)) {
      expect(modeSupportedOn(p, SessionMode.UNATTENDED)).toBe(p === P.ANDROID_DEDICATED);
      expect(modeSupportedOn(p, SessionMode.VIEW_ONLY)).toBe(true);
      expect(modeSupportedOn(p, SessionMode.FULL_CONTROL)).toBe(true);
    }
  });
});
