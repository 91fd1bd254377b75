import { memoAssignmentsByRole, memoRoles } from './request-memo';

describe('per-request memo', () => {
  it('loads the roles once per request context', async () => {
    const ctx = {};
    const load = jest.fn(async () => [{ id: 'r1' }, { id: 'r2' }] as never);
    const [a, b] = await Promise.all([memoRoles(ctx, load), memoRoles(ctx, load)]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(a).toBe(b);
    expect([...a.keys()]).toEqual(['r1', 'r2']);
    await memoRoles({}, load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('groups assignments by role', async () => {
    const byRole = await memoAssignmentsByRole(
      {},
      async () =>
        [
          { id: 'a1', roleId: 'r1' },
          { id: 'a2', roleId: 'r2' },
          { id: 'a3', roleId: 'r1' },
        ] as never,
    );
    expect(byRole.get('r1')!.map((a) => a.id)).toEqual(['a1', 'a3']);
    expect(byRole.get('r3')).toBeUndefined();
  });
});
