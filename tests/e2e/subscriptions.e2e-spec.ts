import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { gatewayUrl, newTenant } from './support/client';
import { subscribe, wsClient } from './support/ws';

const COUNT = 'subscription { activeSessionCount { tenantId count at } }';

/** How a graphql-ws connection attempt ends: the close code and reason the server sent. */
function connectionOutcome(connectionParams: Record<string, unknown>): Promise<{ code: number; reason: string } | 'connected'> {
  return new Promise((resolve) => {
    const client = createClient({
      url: gatewayUrl().replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams,
      retryAttempts: 0,
      lazy: false,
      on: {
        connected: () => {
          resolve('connected');
          void client.dispose();
        },
        closed: (e) => resolve({ code: (e as { code: number }).code, reason: (e as { reason: string }).reason }),
      },
    });
  });
}

describe('subscriptions over graphql-ws on the gateway', () => {
  it('refuses a connection without a token', async () => {
    expect(await connectionOutcome({})).toEqual({ code: 4403, reason: 'Forbidden' });
  });

  it('refuses a connection with a bad or expired token', async () => {
    expect(await connectionOutcome({ authorization: 'Bearer nonsense' })).toEqual({ code: 4403, reason: 'Forbidden' });
  });

  it('accepts a valid token', async () => {
    const t = newTenant();
    expect(await connectionOutcome({ authorization: `Bearer ${t.adminToken}` })).toBe('connected');
  });

  it('serves only subscriptions over the socket', async () => {
    const t = newTenant();
    const client = wsClient(t.adminToken);
    const sub = subscribe(client, '{ tenant { id } }');
    const ended = (await sub.ended) as { message: string }[];
    expect(ended[0].message).toMatch(/only subscriptions are served over WebSocket/);
    await client.dispose();
  });

  it('sends an administrator the current active session count at once', async () => {
    const t = newTenant();
    const client = wsClient(t.adminToken);
    const sub = subscribe<{ activeSessionCount: { tenantId: string; count: number; at: string } }>(client, COUNT);
    const first = await sub.next();
    expect(first.errors).toBeUndefined();
    expect(first.data!.activeSessionCount).toMatchObject({ tenantId: t.tenantId, count: 0 });
    await sub.close();
    await client.dispose();
  });

  it('refuses a session subscription for a session the caller is not part of', async () => {
    const t = newTenant();
    const client = wsClient(t.adminToken);
    const sub = subscribe(client, 'subscription ($id: ID!) { sessionUpdated(sessionId: $id) { id state } }', { id: '00000000-0000-4000-8000-000000000000' });
    const result = await Promise.race([sub.next(5000).then((r) => r.errors), sub.ended]);
    expect(JSON.stringify(result)).toMatch(/not found/i);
    await client.dispose();
  });
});

describe('subscriptions obey the same limits as HTTP', () => {
  it('refuses a subscription nested deeper than the query limits allow', async () => {
    const t = newTenant();
    const client = wsClient(t.adminToken);
    const deep = 'subscription ($id: ID!) { sessionUpdated(sessionId: $id) { helper { groups { users { groups { users { groups { users { groups { users { groups { users { id } } } } } } } } } } } } }';
    const sub = subscribe(client, deep, { id: '00000000-0000-4000-8000-000000000000' });
    const ended = await sub.ended;
    expect(JSON.stringify(ended)).toMatch(/depth/i);
    await client.dispose();
  });
});
