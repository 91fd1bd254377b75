import type { GqlResponse } from './support/client';
import { errorCodes, eventually, gql, gqlOk, newTenant } from './support/client';
import { createDevice, createGroup, createUser, helpDesk, roleId } from './support/fixtures';

/**
 * Just-in-time approval settings on role assignments, through the gateway: validated, stored,
 * reported by the access decision; and no gated step (session start, upgrade to full control,
 * elevation) goes ahead without an approval. Approval requests themselves are not served yet,
 * so a gated step is refused (FORBIDDEN) rather than started.
 */

const ASSIGNMENT = 'id approvalRequiredFor approverGroups { id }';
const CREATE = `mutation ($input: CreateRoleAssignmentInput!) { createRoleAssignment(input: $input) { ${ASSIGNMENT} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateRoleAssignmentInput!) { updateRoleAssignment(id: $id, input: $input) { ${ASSIGNMENT} } }`;
const CHECK = 'query ($h: ID!, $d: ID!, $m: SessionMode!) { checkRemoteHelpAccess(helperId: $h, deviceId: $d, mode: $m) { allowed reasons approvalRequiredFor } }';
const SESSION = 'id state mode elevated securityCode pendingControlRequest';
const REQUEST = `mutation ($input: RequestSessionInput!) { requestSession(input: $input) { session { ${SESSION} } decision { allowed approvalRequiredFor } } }`;
const JOIN = `mutation ($code: String!) { joinSession(securityCode: $code) { ${SESSION} } }`;
const RESPOND = `mutation ($id: ID!, $accept: Boolean!) { respondToSession(sessionId: $id, accept: $accept) { ${SESSION} } }`;
const CONTROL = `mutation ($id: ID!, $mode: SessionMode!) { requestControlChange(sessionId: $id, mode: $mode) { ${SESSION} } }`;
const ANSWER_CONTROL = `mutation ($id: ID!, $accept: Boolean!) { respondToControlRequest(sessionId: $id, accept: $accept) { ${SESSION} } }`;
const ELEVATE = `mutation ($id: ID!) { requestElevation(sessionId: $id) { ${SESSION} } }`;
const END = `mutation ($id: ID!) { endSession(sessionId: $id) { ${SESSION} } }`;

type Assignment = { id: string; approvalRequiredFor: string[]; approverGroups: { id: string }[] };

const refusal = (r: GqlResponse) => ({ code: errorCodes(r)[0], message: r.body.errors?.[0]?.message ?? '' });

describe('approval settings on role assignments', () => {
  it('are validated and stored, and the decision reports what needs approval', async () => {
    const { t, helper, deviceId, helpersGroupId, assignmentId } = await helpDesk();
    const other = newTenant();
    const lead = await createUser(t, { name: 'lead' });
    const leads = await createGroup(t, 'USERS', { userIds: [lead.id] });
    const pcs = await createGroup(t, 'DEVICES', { deviceIds: [await createDevice(t)] });
    const foreign = await createGroup(other, 'USERS');
    const read = async () => (await gqlOk<{ roleAssignments: Assignment[] }>(`{ roleAssignments { ${ASSIGNMENT} } }`, {}, t.adminToken)).roleAssignments.find((a) => a.id === assignmentId)!;

    // Refused, naming the problem, and nothing changed.
    for (const [input, message] of [
      [{ approvalRequiredFor: ['TAKE_FULL_CONTROL'] }, /at least one approver group/],
      [{ approvalRequiredFor: ['TAKE_FULL_CONTROL'], approverGroupIds: [] }, /at least one approver group/],
      [{ approvalRequiredFor: ['TAKE_FULL_CONTROL'], approverGroupIds: [foreign] }, new RegExp(`approver group ${foreign} is not a group of this tenant`)],
      [{ approvalRequiredFor: ['TAKE_FULL_CONTROL'], approverGroupIds: [pcs] }, /approver group .* holds devices/],
    ] as const) {
      const r = refusal(await gql(UPDATE, { id: assignmentId, input }, t.adminToken));
      expect(r.code).toBe('BAD_USER_INPUT');
      expect(r.message).toMatch(message);
    }
    const created = refusal(
      await gql(CREATE, { input: { roleId: await roleId(t, 'Help Desk Operator'), displayName: 'Gated', adminGroupIds: [helpersGroupId], scopeGroupIds: [], approvalRequiredFor: ['ELEVATION'] } }, t.adminToken),
    );
    expect(created).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/at least one approver group/) });
    expect(await read()).toEqual({ id: assignmentId, approvalRequiredFor: [], approverGroups: [] });

    // Stored (in the enum's order, once each).
    const { updateRoleAssignment } = await gqlOk<{ updateRoleAssignment: Assignment }>(
      UPDATE,
      { id: assignmentId, input: { approvalRequiredFor: ['ELEVATION', 'TAKE_FULL_CONTROL', 'ELEVATION'], approverGroupIds: [leads] } },
      t.adminToken,
    );
    expect(updateRoleAssignment).toEqual({ id: assignmentId, approvalRequiredFor: ['TAKE_FULL_CONTROL', 'ELEVATION'], approverGroups: [{ id: leads }] });
    expect(await read()).toEqual(updateRoleAssignment);
    // Leaving the approvers out later is refused while approval stays required.
    expect(refusal(await gql(UPDATE, { id: assignmentId, input: { approverGroupIds: [] } }, t.adminToken)).code).toBe('BAD_USER_INPUT');

    // The decision: full control (and what implies it) needs approval; view only does not.
    const check = (mode: string) => gqlOk<{ checkRemoteHelpAccess: { allowed: boolean; approvalRequiredFor: string[] } }>(CHECK, { h: helper.id, d: deviceId, m: mode }, t.adminToken);
    const full = await eventually(
      () => check('FULL_CONTROL'),
      (r) => r.checkRemoteHelpAccess.approvalRequiredFor.length > 0,
    );
    expect(full.checkRemoteHelpAccess).toEqual({ allowed: true, reasons: [], approvalRequiredFor: ['TAKE_FULL_CONTROL'] });
    expect((await check('VIEW_ONLY')).checkRemoteHelpAccess).toEqual({ allowed: true, reasons: [], approvalRequiredFor: [] });

    // Lifted again: nothing needs approval.
    await gqlOk(UPDATE, { id: assignmentId, input: { approvalRequiredFor: [], approverGroupIds: [] } }, t.adminToken);
    await eventually(
      () => check('FULL_CONTROL'),
      (r) => r.checkRemoteHelpAccess.approvalRequiredFor.length === 0,
    );
  });

  it('let no gated step go ahead without an approval: a session start, an upgrade to full control, elevation', async () => {
    const { t, helper, sharer, deviceId, assignmentId } = await helpDesk();
    const [ht, st] = [helper.token(), sharer.token()];
    const leads = await createGroup(t, 'USERS', { userIds: [(await createUser(t, { name: 'lead' })).id] });
    const gate = (approvalRequiredFor: string[]) => gqlOk(UPDATE, { id: assignmentId, input: { approvalRequiredFor, approverGroupIds: [leads] } }, t.adminToken);
    const mutate = async (query: string, variables: Record<string, unknown>, token: string) => {
      const r = await gql(query, variables, token);
      expect(r.body.errors).toBeUndefined();
      return Object.values(r.body.data!)[0] as Record<string, any>;
    };
    const check = (mode: string) => gqlOk<{ checkRemoteHelpAccess: { approvalRequiredFor: string[] } }>(CHECK, { h: helper.id, d: deviceId, m: mode }, t.adminToken);

    await gate(['TAKE_FULL_CONTROL', 'ELEVATION']);
    await eventually(
      () => check('FULL_CONTROL'),
      (r) => r.checkRemoteHelpAccess.approvalRequiredFor.length > 0,
    );
    const start = refusal(await gql(REQUEST, { input: { deviceId, mode: 'FULL_CONTROL' } }, ht));
    expect(start).toEqual({ code: 'FORBIDDEN', message: expect.stringMatching(/^this session needs approval \(TAKE_FULL_CONTROL\)/) });

    // View only needs none: the session starts; the upgrade to full control is gated.
    const { session } = await mutate(REQUEST, { input: { deviceId, mode: 'VIEW_ONLY' } }, ht);
    await mutate(JOIN, { code: session.securityCode }, st);
    expect(await mutate(RESPOND, { id: session.id, accept: true }, st)).toMatchObject({ state: 'ACTIVE' });
    const upgrade = refusal(await gql(CONTROL, { id: session.id, mode: 'FULL_CONTROL' }, ht));
    expect(upgrade).toEqual({ code: 'FORBIDDEN', message: expect.stringMatching(/^full control needs approval \(TAKE_FULL_CONTROL\)/) });
    expect(await mutate('query ($id: ID!) { session(id: $id) { mode pendingControlRequest } }', { id: session.id }, ht)).toEqual({ mode: 'VIEW_ONLY', pendingControlRequest: null });

    // Full control lifted, elevation still gated.
    await gate(['ELEVATION']);
    await eventually(
      () => check('FULL_CONTROL'),
      (r) => r.checkRemoteHelpAccess.approvalRequiredFor.length === 0,
    );
    expect(await mutate(CONTROL, { id: session.id, mode: 'FULL_CONTROL' }, ht)).toMatchObject({ pendingControlRequest: 'FULL_CONTROL' });
    expect(await mutate(ANSWER_CONTROL, { id: session.id, accept: true }, st)).toMatchObject({ mode: 'FULL_CONTROL' });
    const elevation = refusal(await gql(ELEVATE, { id: session.id }, ht));
    expect(elevation).toEqual({ code: 'FORBIDDEN', message: expect.stringMatching(/^elevation needs approval \(ELEVATION\)/) });
    expect(await mutate('query ($id: ID!) { session(id: $id) { elevated } }', { id: session.id }, ht)).toEqual({ elevated: false });
    expect(await mutate(END, { id: session.id }, ht)).toMatchObject({ state: 'ENDED' });
  });
});
