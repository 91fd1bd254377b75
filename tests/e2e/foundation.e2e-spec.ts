import { eventually, gql, gqlOk, newTenant } from './support/client';

const DASHBOARD = `
  query Dashboard {
    tenant {
      id
      displayName
      verifiedDomains
      cloud
      remoteHelpSettings { remoteHelpEnabled allowUnenrolledDevices chatDisabled updatedAt }
      roles { displayName builtIn permissions effectivePermissions adminPermissions }
      activeSessionCount
    }
    me { id userPrincipalName profile { displayName verifiedDomain } }
    mySessions { id state }
  }`;

describe('foundation: a tenant made with the CLI, queried through the gateway', () => {
  it('serves one request that spans all four subgraphs', async () => {
    const t = newTenant();
    // rbac-service creates the built-in roles from tenant-service's "tenant.created" event,
    // which travels through tenant-service's outbox and Kafka.
    const res = await eventually(
      () => gql(DASHBOARD, {}, t.adminToken),
      (r) => (r.body.data?.tenant?.roles?.length ?? 0) === 2,
    );
    expect(res.body.errors).toBeUndefined();
    const { tenant, me, mySessions } = res.body.data!;
    // tenant-service
    expect(tenant).toMatchObject({ id: t.tenantId, displayName: `Tenant ${t.domain}`, verifiedDomains: [t.domain], cloud: 'COMMERCIAL' });
    expect(tenant.remoteHelpSettings).toEqual({ remoteHelpEnabled: false, allowUnenrolledDevices: false, chatDisabled: false, updatedAt: null });
    expect(me).toEqual({ id: t.adminUserId, userPrincipalName: t.adminUpn, profile: { displayName: 'admin', verifiedDomain: t.domain } });
    // rbac-service
    const roles = Object.fromEntries(tenant.roles.map((r: { displayName: string }) => [r.displayName, r]));
    expect(roles['Help Desk Operator']).toMatchObject({
      builtIn: true,
      permissions: ['VIEW_SCREEN', 'TAKE_FULL_CONTROL', 'ELEVATION', 'UNATTENDED_CONTROL', 'OFFER_REMOTE_ASSISTANCE'],
      adminPermissions: [],
    });
    expect(roles['Remote Help Administrator']).toMatchObject({ builtIn: true, permissions: [], effectivePermissions: [] });
    expect(roles['Remote Help Administrator'].adminPermissions).toHaveLength(6);
    // reporting-service and session-service
    expect(tenant.activeSessionCount).toBe(0);
    expect(mySessions).toEqual([]);
  });

  it('keeps tenants apart: each caller sees only their own tenant', async () => {
    const a = newTenant();
    const b = newTenant();
    const ta = await gqlOk<{ tenant: { id: string } }>('{ tenant { id } }', {}, a.adminToken);
    const tb = await gqlOk<{ tenant: { id: string } }>('{ tenant { id } }', {}, b.adminToken);
    expect(ta.tenant.id).toBe(a.tenantId);
    expect(tb.tenant.id).toBe(b.tenantId);
    const cross = await gqlOk<{ user: unknown }>('query($id: ID!) { user(id: $id) { id } }', { id: a.adminUserId }, b.adminToken);
    expect(cross.user).toBeNull();
  });

  it('passes a request id through to the response', async () => {
    const t = newTenant();
    const res = await fetch(process.env.RH_E2E_GATEWAY_URL!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.adminToken}`, 'x-request-id': 'e2e-trace-123' },
      body: JSON.stringify({ query: '{ tenant { id } }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('e2e-trace-123');
  });
});
