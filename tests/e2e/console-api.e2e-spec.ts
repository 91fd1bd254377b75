import { parse } from 'csv-parse/sync';
import { errorCodes, eventually, gatewayUrl, gql, gqlOk, newTenant } from './support/client';
import { createDevice, createGroup, createUser, helpDesk, type Tenant } from './support/fixtures';
import { accessSettled, endSession, startSession } from './support/sessions';

/**
 * The API the admin console grew (issue 25): paging of the directory lists, a user's effective
 * admin permissions, editing a role assignment, and the CSV exports with bearer tokens and
 * one-use tickets.
 */

type Rec = Record<string, any>;
const base = () => gatewayUrl().replace(/\/graphql$/, '');

async function plainUser(t: Tenant) {
  const u = await createUser(t, { name: 'plain' });
  const token = u.token();
  await eventually(
    () => gql('{ me { id } }', {}, token),
    (r) => r.body.data?.me?.id === u.id,
  );
  return { ...u, token };
}

describe('directory paging (first / after) and group search', () => {
  it('pages users, devices and groups by display name without repeats, finds groups by name, refuses a malformed after', async () => {
    const t = newTenant();
    for (let i = 0; i < 3; i++) await createUser(t, { name: `pager` });
    for (let i = 0; i < 3; i++) await createDevice(t, { displayName: `PC-${i}` });
    for (let i = 0; i < 3; i++) await createGroup(t, 'USERS');

    for (const list of ['users', 'devices', 'groups']) {
      const all = (await gqlOk<Rec>(`{ ${list}(first: 500) { id } }`, {}, t.adminToken))[list].map((x: Rec) => x.id);
      expect(all.length).toBeGreaterThanOrEqual(3);
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: string[] = (await gqlOk<Rec>(`query ($after: String) { ${list}(first: 2, after: $after) { id } }`, { after }, t.adminToken))[list].map((x: Rec) => x.id);
        seen.push(...page);
        if (page.length < 2) break;
        after = page[page.length - 1];
      }
      expect(seen).toEqual(all);
      const bad = await gql(`{ ${list}(after: "not-an-id") { id } }`, {}, t.adminToken);
      expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    }

    const groups = (await gqlOk<Rec>('{ groups(first: 500) { id displayName } }', {}, t.adminToken)).groups;
    const one = groups.find((g: Rec) => g.displayName !== 'Remote Help Administrators');
    const found = (await gqlOk<Rec>('query ($s: String) { groups(search: $s) { id } }', { s: one.displayName.toUpperCase() }, t.adminToken)).groups;
    expect(found).toEqual([{ id: one.id }]);
    expect((await gqlOk<Rec>('{ groups(search: "administrators", first: 1) { displayName } }', {}, t.adminToken)).groups).toEqual([{ displayName: 'Remote Help Administrators' }]);
  });
});

describe('User.effectiveAdminPermissions', () => {
  it("is what the console may show: all of them for the tenant's administrator, none for a plain user, who cannot read others'", async () => {
    const t = newTenant();
    const user = await plainUser(t);
    const mine = (await gqlOk<Rec>('{ me { effectiveAdminPermissions } }', {}, t.adminToken)).me.effectiveAdminPermissions;
    expect(mine).toEqual(expect.arrayContaining(['MANAGE_SETTINGS', 'MANAGE_ROLES', 'READ_REPORTS', 'READ_AUDIT_LOG', 'TERMINATE_SESSIONS', 'MANAGE_DIRECTORY']));
    expect((await gqlOk<Rec>('query ($id: ID!) { user(id: $id) { effectiveAdminPermissions } }', { id: user.id }, t.adminToken)).user.effectiveAdminPermissions).toEqual([]);
    expect((await gqlOk<Rec>('{ me { effectiveAdminPermissions } }', {}, user.token)).me.effectiveAdminPermissions).toEqual([]);
  });
});

describe('updateRoleAssignment', () => {
  const UPDATE = `mutation ($id: ID!, $input: UpdateRoleAssignmentInput!) { updateRoleAssignment(id: $id, input: $input) {
    id displayName description adminGroups { id } scopeGroups { id } scopeAllUsers scopeAllDevices role { displayName } } }`;

  it('changes the fields given and leaves the others; refuses the built-in assignment, a plain user, no admin group, an unknown id', async () => {
    const { t, helpersGroupId, assignmentId } = await helpDesk();
    const devices = await createGroup(t, 'DEVICES');
    const updated = (await gqlOk<Rec>(UPDATE, { id: assignmentId, input: { displayName: 'Tier 1', scopeAllDevices: false, scopeGroupIds: [devices] } }, t.adminToken)).updateRoleAssignment;
    expect(updated).toEqual({
      id: assignmentId,
      displayName: 'Tier 1',
      description: null,
      adminGroups: [{ id: helpersGroupId }],
      scopeGroups: [{ id: devices }],
      scopeAllUsers: true,
      scopeAllDevices: false,
      role: { displayName: 'Help Desk Operator' },
    });
    const listed = (await gqlOk<Rec>('{ roleAssignments { id displayName scopeAllDevices } }', {}, t.adminToken)).roleAssignments;
    expect(listed.find((a: Rec) => a.id === assignmentId)).toEqual({ id: assignmentId, displayName: 'Tier 1', scopeAllDevices: false });

    const builtIn = listed.find((a: Rec) => a.id !== assignmentId);
    expect(errorCodes(await gql(UPDATE, { id: builtIn.id, input: { displayName: 'x' } }, t.adminToken))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(UPDATE, { id: assignmentId, input: { adminGroupIds: [] } }, t.adminToken))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(UPDATE, { id: assignmentId, input: { adminGroupIds: [devices] } }, t.adminToken))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(UPDATE, { id: '00000000-0000-4000-8000-000000000000', input: { displayName: 'x' } }, t.adminToken))).toEqual(['NOT_FOUND']);
    const user = await plainUser(t);
    expect(errorCodes(await gql(UPDATE, { id: assignmentId, input: { displayName: 'x' } }, user.token))).toEqual(['FORBIDDEN']);
    expect((await gqlOk<Rec>('{ roleAssignments { id displayName } }', {}, t.adminToken)).roleAssignments.find((a: Rec) => a.id === assignmentId).displayName).toBe('Tier 1');
  });
});

describe('CSV exports', () => {
  const REPORT = `query ($filter: SessionRecordFilter) { remoteHelpSessions(filter: $filter, first: 50) { edges { node {
    sessionId provider { id } recipient { id } recipientDisplay deviceId sessionType requestedAt startedAt endedAt durationSeconds elevationUsed chatUsed outcome reason } } } }`;
  const TICKET = 'mutation ($e: ExportName) { createExportTicket(export: $e) { ticket expiresAt } }';

  const download = (path: string, token?: string) => fetch(`${base()}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const rows = async (res: Response) => parse(await res.text(), { columns: true, bom: true }) as Rec[];

  it('streams the report of a filter as RFC 4180 CSV with the rows of the GraphQL report, escapes formulas, and takes a one-use ticket', async () => {
    const { t, helper, sharer, deviceId } = await helpDesk();
    const [ht, st] = [helper.token(), sharer.token()];
    await accessSettled(t, helper.id, deviceId);
    const a = await startSession(ht, st, { deviceId, reason: '=HYPERLINK("http://evil.example","x"), "quoted"' });
    await endSession(a.id, ht);
    const b = await startSession(ht, st, { deviceId, mode: 'VIEW_ONLY', reason: 'INC-1' });
    await endSession(b.id, ht);
    const filter = { providerId: helper.id };
    const report = await eventually(
      () => gqlOk<Rec>(REPORT, { filter }, t.adminToken),
      (r) => r.remoteHelpSessions.edges.filter((e: Rec) => e.node.outcome === 'ENDED').length === 2,
    );
    const nodes = report.remoteHelpSessions.edges.map((e: Rec) => e.node);

    const res = await download(`/exports/remote-help-sessions.csv?providerId=${helper.id}`, t.adminToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="remote-help-sessions-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await res.clone().text();
    expect(text.split('\r\n')[0]).toBe('Session ID,Provider,Provider ID,Recipient,Recipient ID,Device ID,Device enrolled,Type,Requested,Start,End,Duration (seconds),Elevation,Chat,Outcome,End reason,Reason');
    const csv = await rows(res);
    const yesNo = (b: boolean) => (b ? 'Yes' : 'No');
    expect(csv.map((r) => [r['Session ID'], r['Provider ID'], r['Recipient ID'], r.Recipient, r['Device ID'], r.Type, r.Requested, r.Start, r.End, r['Duration (seconds)'], r.Elevation, r.Chat, r.Outcome])).toEqual(
      nodes.map((n: Rec) => [
        n.sessionId,
        n.provider.id,
        n.recipient?.id ?? '',
        n.recipientDisplay,
        n.deviceId,
        n.sessionType,
        n.requestedAt,
        n.startedAt ?? '',
        n.endedAt ?? '',
        String(n.durationSeconds ?? ''),
        yesNo(n.elevationUsed),
        yesNo(n.chatUsed),
        n.outcome,
      ]),
    );
    expect(csv.find((r) => r['Session ID'] === a.id)!.Reason).toBe(`'=HYPERLINK("http://evil.example","x"), "quoted"`);
    expect(csv.find((r) => r['Session ID'] === b.id)!.Reason).toBe('INC-1');
    expect(csv.find((r) => r['Session ID'] === a.id)!.Provider).toContain('helper');

    // a filter of the report: the same rows as GraphQL for it
    const viewOnly = await rows(await download(`/exports/remote-help-sessions.csv?providerId=${helper.id}&sessionType=VIEW_ONLY`, t.adminToken));
    expect(viewOnly.map((r) => r['Session ID'])).toEqual([b.id]);

    // a one-use ticket instead of the bearer token (what the browser download uses)
    const { ticket } = (await gqlOk<Rec>(TICKET, { e: 'REMOTE_HELP_SESSIONS' }, t.adminToken)).createExportTicket;
    const byTicket = await download(`/exports/remote-help-sessions.csv?providerId=${helper.id}&ticket=${ticket}`);
    expect(byTicket.status).toBe(200);
    expect((await rows(byTicket)).map((r) => r['Session ID'])).toEqual(csv.map((r) => r['Session ID']));
    const again = await download(`/exports/remote-help-sessions.csv?ticket=${ticket}`);
    expect(again.status).toBe(401);
    expect(((await again.json()) as Rec).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // a ticket for the sessions export does not open the audit log
    const other = (await gqlOk<Rec>(TICKET, { e: 'REMOTE_HELP_SESSIONS' }, t.adminToken)).createExportTicket.ticket;
    expect((await download(`/exports/audit-events.csv?ticket=${other}`)).status).toBe(401);
  });

  it('exports the audit log of a category as the GraphQL audit log has it', async () => {
    const t = newTenant();
    await gqlOk('mutation { updateRemoteHelpSettings(input: { remoteHelpEnabled: true }) { remoteHelpEnabled } }', {}, t.adminToken);
    const AUDIT = '{ auditEvents(category: "Settings", first: 50) { edges { node { id occurredAt category activity actorId result details } } } }';
    const audit = await eventually(
      () => gqlOk<Rec>(AUDIT, {}, t.adminToken),
      (r) => r.auditEvents.edges.length > 0,
    );
    const res = await download('/exports/audit-events.csv?category=Settings', t.adminToken);
    expect(res.status).toBe(200);
    const csv = await rows(res);
    expect(csv.map((r) => [r.ID, r.Time, r.Category, r.Activity, r['Actor ID'], r.Result, r.Details])).toEqual(
      audit.auditEvents.edges.map(({ node: n }: Rec) => [n.id, n.occurredAt, n.category, n.activity, n.actorId ?? '', n.result, n.details ?? '']),
    );
  });

  it('refuses a missing token (401), a user without the permission (403; no ticket for them), a bad filter (400) and an unknown export (404)', async () => {
    const t = newTenant();
    const user = await plainUser(t);
    const codeOf = async (res: Response) => [res.status, ((await res.json()) as Rec).errors[0].extensions.code];
    expect(await codeOf(await download('/exports/remote-help-sessions.csv'))).toEqual([401, 'UNAUTHENTICATED']);
    expect(await codeOf(await download('/exports/remote-help-sessions.csv', user.token))).toEqual([403, 'FORBIDDEN']);
    expect(await codeOf(await download('/exports/audit-events.csv', user.token))).toEqual([403, 'FORBIDDEN']);
    // no ticket for a user without the permission (and the permission is checked again when one is used)
    expect(errorCodes(await gql(TICKET, {}, user.token))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(TICKET, { e: 'AUDIT_EVENTS' }, user.token))).toEqual(['FORBIDDEN']);
    expect(await codeOf(await download('/exports/remote-help-sessions.csv?from=yesterday', t.adminToken))).toEqual([400, 'BAD_USER_INPUT']);
    expect(await codeOf(await download('/exports/remote-help-sessions.csv?colour=red', t.adminToken))).toEqual([400, 'BAD_USER_INPUT']);
    expect(await codeOf(await download('/exports/remote-help-sessions.csv?providerId=x', t.adminToken))).toEqual([400, 'BAD_USER_INPUT']);
    expect(await codeOf(await download('/exports/everything.csv', t.adminToken))).toEqual([404, 'NOT_FOUND']);
    expect(await codeOf(await download('/exports/audit-events.csv?ticket=made-up'))).toEqual([401, 'UNAUTHENTICATED']);
  });
});

describe('the admin console at /', () => {
  const get = (path: string, accept: string, method = 'GET') => fetch(`${base()}${path}`, { method, headers: { accept } });

  it('serves the built console, its client-side routes to browsers only, and its runtime configuration; API paths stay 404', async () => {
    const home = await get('/', 'text/html,application/xhtml+xml');
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await home.text();
    expect(html).toContain('<div id="root"></div>');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    const asset = await get(script, '*/*');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);

    // a client-side route: index.html for a browser, 404 for anything else
    expect(await (await get('/monitor', 'text/html')).text()).toBe(html);
    expect((await get('/monitor', 'application/json')).status).toBe(404);
    expect((await get('/monitor', 'text/html', 'POST')).status).toBe(404);
    for (const api of ['/scim/v2/Users', '/metrics', '/exports/none.csv', '/health/nothing', '/internal/x']) {
      const r = await get(api, 'text/html');
      expect([api, r.status]).toEqual([api, 404]);
    }
    expect((await get('/assets/missing.js', 'text/html')).status).toBe(404);

    const config = await (await get('/console-config.json', 'application/json')).json();
    expect(config).toEqual({ apiUrl: '/graphql', devIssuer: true, graphiql: true, oidcIssuers: expect.any(Array) });
  });
});
