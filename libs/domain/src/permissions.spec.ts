import { ALL_REMOTE_HELP_PERMISSIONS, effectivePermissions, RemoteHelpPermission as P } from './permissions';

/** Every subset of the five permissions (32), each checked against the rule written out plainly. */
describe('effectivePermissions', () => {
  const subsets: P[][] = [];
  for (let mask = 0; mask < 1 << ALL_REMOTE_HELP_PERMISSIONS.length; mask++) {
    subsets.push(ALL_REMOTE_HELP_PERMISSIONS.filter((_, i) => mask & (1 << i)));
  }

  // The combinations below are built from the code's list: it must be Remote Help's five permissions.
  it("builds the combinations from Remote Help's five permissions", () => {
    expect([...ALL_REMOTE_HELP_PERMISSIONS].sort()).toEqual(['ELEVATION', 'OFFER_REMOTE_ASSISTANCE', 'TAKE_FULL_CONTROL', 'UNATTENDED_CONTROL', 'VIEW_SCREEN']);
  });

  it.each(subsets.map((s) => [s.join('+') || '(none)', s]))('%s', (_name, granted) => {
    const has = (p: P) => granted.includes(p);
    const unattended = has(P.UNATTENDED_CONTROL);
    const elevation = has(P.ELEVATION) || unattended;
    const full = has(P.TAKE_FULL_CONTROL) || elevation;
    const view = has(P.VIEW_SCREEN) || full;
    const expected = new Set<P>();
    if (view) expected.add(P.VIEW_SCREEN);
    if (full) expected.add(P.TAKE_FULL_CONTROL);
    if (elevation) expected.add(P.ELEVATION);
    if (unattended) expected.add(P.UNATTENDED_CONTROL);
    if (has(P.OFFER_REMOTE_ASSISTANCE)) expected.add(P.OFFER_REMOTE_ASSISTANCE);
    const actual = effectivePermissions(granted);
    expect(new Set(actual)).toEqual(expected);
    expect(actual).toHaveLength(expected.size);
    // idempotent: applying the implications twice changes nothing
    expect(effectivePermissions(actual)).toEqual(actual);
  });

  it('refuses a name outside the enum', () => {
    expect(() => effectivePermissions(['FLY' as P])).toThrow(/unknown Remote Help permission/);
  });
});
