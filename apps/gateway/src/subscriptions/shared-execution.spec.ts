import type { ExecutionResult } from 'graphql';
import { buildSchema, GraphQLError, parse } from 'graphql';
import { Hub } from './hub';
import { sharedSubscribe } from './shared-execution';

function schemaWith(hub: Hub, executions: { n: number }) {
  const schema = buildSchema(`
    type Count { tenantId: ID! count: Int! }
    type Query { ok: Boolean }
    type Subscription { count: Count private: Count }
  `);
  const fields = schema.getSubscriptionType()!.getFields();
  const subscribe = (_root: unknown, _args: unknown, ctx: { allowed: boolean }) => {
    if (!ctx.allowed) throw new GraphQLError('forbidden', { extensions: { code: 'FORBIDDEN' } });
    return hub.subscribe('c', { mode: 'latest' });
  };
  fields.count.subscribe = subscribe;
  fields.count.resolve = (payload) => (executions.n++, payload);
  fields.private.subscribe = subscribe;
  fields.private.resolve = (payload) => (executions.n++, payload);
  return schema;
}

describe('sharedSubscribe', () => {
  it('executes a pushed payload once for every subscriber with the same document, and gives each the result', async () => {
    const hub = new Hub();
    const executions = { n: 0 };
    const schema = schemaWith(hub, executions);
    const document = parse('subscription { count { tenantId count } }');
    const run = sharedSubscribe(new Set(['count']));
    const subs = await Promise.all([1, 2, 3].map(() => run({ schema, document, contextValue: { allowed: true } }) as Promise<AsyncGenerator<ExecutionResult>>));
    const next = subs.map((s) => s.next());
    hub.publish('c', { tenantId: 't', count: 4 });
    const results = await Promise.all(next);
    expect(results.map((r) => r.value)).toEqual([1, 2, 3].map(() => ({ data: { count: { tenantId: 't', count: 4 } } })));
    expect(executions.n).toBe(1);
    // another document is executed on its own
    const aliased = (await run({ schema, document: parse('subscription { c: count { count } }'), contextValue: { allowed: true } })) as AsyncGenerator<ExecutionResult>;
    const more = [...subs, aliased].map((s) => s.next());
    hub.publish('c', { tenantId: 't', count: 5 });
    expect((await Promise.all(more)).map((r) => r.value)).toEqual([...[1, 2, 3].map(() => ({ data: { count: { tenantId: 't', count: 5 } } })), { data: { c: { count: 5 } } }]);
    expect(executions.n).toBe(3);
    // unsubscribing leaves the hub
    await Promise.all([...subs, aliased].map((s) => s.return(undefined)));
    expect(hub.subscriberCount('c')).toBe(0);
  });

  it('still authorises each subscription on its own', async () => {
    const hub = new Hub();
    const schema = schemaWith(hub, { n: 0 });
    const refused = (await sharedSubscribe(new Set(['count']))({ schema, document: parse('subscription { count { count } }'), contextValue: { allowed: false } })) as ExecutionResult;
    expect(refused.errors?.[0].message).toBe('forbidden');
    expect(hub.subscriberCount('c')).toBe(0);
  });

  it('executes per subscriber the fields that are not shared', async () => {
    const hub = new Hub();
    const executions = { n: 0 };
    const schema = schemaWith(hub, executions);
    const document = parse('subscription { private { count } }');
    const run = sharedSubscribe(new Set(['count']));
    const subs = (await Promise.all([1, 2].map(() => run({ schema, document, contextValue: { allowed: true } })))) as AsyncGenerator<ExecutionResult>[];
    const next = subs.map((s) => s.next());
    hub.publish('c', { tenantId: 't', count: 1 });
    await Promise.all(next);
    expect(executions.n).toBe(2);
  });
});
