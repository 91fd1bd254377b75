import { eventually, gqlOk } from './support/client';
import { checkAccess, helpDesk } from './support/fixtures';

/**
 * The tenant setting requireReason, through the gateway: switched on by an administrator (and
 * audited), a session request without a non-blank reason is denied with REASON_REQUIRED, with
 * every other reason as usual; with a reason it goes ahead. checkRemoteHelpAccess, which has no
 * reason to judge, is not affected.
 */

const SETTINGS = 'remoteHelpEnabled requireReason';
const UPDATE = `mutation ($input: UpdateRemoteHelpSettingsInput!) { updateRemoteHelpSettings(input: $input) { ${SETTINGS} } }`;
const REQUEST = `mutation ($input: RequestSessionInput!) { requestSession(input: $input) { session { id reason } decision { allowed reasons } } }`;
const END = 'mutation ($id: ID!) { endSession(sessionId: $id) { state } }';

type Payload = { requestSession: { session: { id: string; reason: string | null } | null; decision: { allowed: boolean; reasons: string[] } } };

describe('a tenant that requires a reason', () => {
  it('denies a session request without one (REASON_REQUIRED), and lets one with a reason go ahead', async () => {
    const { t, helper, deviceId } = await helpDesk();
    const ht = helper.token();
    const request = (input: Record<string, unknown>) => gqlOk<Payload>(REQUEST, { input: { deviceId, mode: 'VIEW_ONLY', ...input } }, ht).then((r) => r.requestSession);

    // Off by default: no reason needed.
    const { tenant } = await gqlOk<{ tenant: { remoteHelpSettings: { requireReason: boolean } } }>(`{ tenant { remoteHelpSettings { ${SETTINGS} } } }`, {}, t.adminToken);
    expect(tenant.remoteHelpSettings.requireReason).toBe(false);
    const free = await request({});
    expect(free.decision).toEqual({ allowed: true, reasons: [] });
    await gqlOk(END, { id: free.session!.id }, ht);

    expect(await gqlOk(UPDATE, { input: { requireReason: true } }, t.adminToken)).toEqual({ updateRemoteHelpSettings: { remoteHelpEnabled: true, requireReason: true } });
    // rbac-service follows the settings through Kafka: wait until it denies.
    let denied: Payload['requestSession'] | undefined;
    for (let i = 0; i < 100 && !denied; i++) {
      const r = await request({});
      if (r.session) await gqlOk(END, { id: r.session.id }, ht);
      else denied = r;
      if (!denied) await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(denied).toEqual({ session: null, decision: { allowed: false, reasons: ['REASON_REQUIRED'] } });
    expect(await request({ reason: '   ' })).toEqual({ session: null, decision: { allowed: false, reasons: ['REASON_REQUIRED'] } });
    // with every other reason, in the enum's order
    await gqlOk(UPDATE, { input: { remoteHelpEnabled: false } }, t.adminToken);
    const both = await (async () => {
      for (let i = 0; i < 100; i++) {
        const r = await request({});
        if (r.decision.reasons.length > 1) return r;
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      throw new Error('Remote Help never turned off in the decision');
    })();
    expect(both.decision.reasons).toEqual(['REMOTE_HELP_DISABLED', 'REASON_REQUIRED']);
    await gqlOk(UPDATE, { input: { remoteHelpEnabled: true } }, t.adminToken);

    // Explain access has no reason to judge (once rbac-service has Remote Help on again).
    expect(
      await eventually(
        () => checkAccess(t, helper.id, deviceId, 'VIEW_ONLY', ht),
        (d) => d.allowed,
      ),
    ).toMatchObject({ allowed: true, reasons: [] });
    expect(await request({})).toEqual({ session: null, decision: { allowed: false, reasons: ['REASON_REQUIRED'] } });

    // With a reason: allowed.
    const ok = await request({ reason: ' INC-4711 ' });
    expect(ok).toMatchObject({ session: { reason: 'INC-4711' }, decision: { allowed: true, reasons: [] } });
    await gqlOk(END, { id: ok.session!.id }, ht);

    // The change is in the audit log (reporting follows through Kafka).
    const audit = () => gqlOk<{ auditEvents: { edges: { node: { details: string | null } }[] } }>('{ auditEvents(category: "Settings", first: 50) { edges { node { details } } } }', {}, t.adminToken);
    const logged = await eventually(audit, (r) => r.auditEvents.edges.some((e) => e.node.details === 'requireReason: false -> true'));
    expect(logged.auditEvents.edges.map((e) => e.node.details)).toContain('requireReason: false -> true');
  });
});
