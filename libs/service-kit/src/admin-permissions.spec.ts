import { AdminPermission } from '@remote-help/domain';
import { RemoteAdminPermissionSource } from './admin-permissions';
import type { ServiceClient } from './service-client';
import type { ServiceOptions } from './service-options';

function setup(ttlMs: number, answer: () => Promise<{ permissions: AdminPermission[] }>) {
  const post = jest.fn(answer);
  const source = new RemoteAdminPermissionSource({ post } as unknown as ServiceClient, { config: { ADMIN_PERMISSION_CACHE_MS: ttlMs } } as unknown as ServiceOptions);
  return { source, post };
}

describe('RemoteAdminPermissionSource', () => {
  afterEach(() => jest.useRealTimers());

  it("asks rbac-service for the user's permissions, then reuses the answer for ADMIN_PERMISSION_CACHE_MS", async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const { source, post } = setup(1_000, async () => ({ permissions: [AdminPermission.READ_REPORTS] }));
    expect(await source.permissionsOf('t1', 'u1')).toEqual(['READ_REPORTS']);
    expect(post).toHaveBeenCalledWith('rbac-service', '/internal/admin-permissions', { tenantId: 't1', userId: 'u1' }, 't1');
    jest.setSystemTime(1_000_999);
    await source.permissionsOf('t1', 'u1');
    expect(post).toHaveBeenCalledTimes(1);
    await source.permissionsOf('t1', 'u2'); // another user: asked
    await source.permissionsOf('t2', 'u1'); // another tenant: asked
    expect(post).toHaveBeenCalledTimes(3);
    jest.setSystemTime(1_001_000); // expired: asked again
    await source.permissionsOf('t1', 'u1');
    expect(post).toHaveBeenCalledTimes(4);
  });

  it('shares one call between concurrent checks of the same user', async () => {
    let release!: () => void;
    const { source, post } = setup(1_000, () => new Promise((r) => (release = () => r({ permissions: [AdminPermission.MANAGE_SETTINGS] }))));
    const both = Promise.all([source.permissionsOf('t1', 'u1'), source.permissionsOf('t1', 'u1')]);
    release();
    expect(await both).toEqual([['MANAGE_SETTINGS'], ['MANAGE_SETTINGS']]);
    expect(post).toHaveBeenCalledTimes(1);
  });

  it('does not remember a failure: the next check asks again', async () => {
    let fail = true;
    const { source, post } = setup(60_000, async () => {
      if (fail) throw new Error('rbac-service did not answer');
      return { permissions: [AdminPermission.READ_REPORTS] };
    });
    await expect(source.permissionsOf('t1', 'u1')).rejects.toThrow('did not answer');
    fail = false;
    expect(await source.permissionsOf('t1', 'u1')).toEqual(['READ_REPORTS']);
    expect(post).toHaveBeenCalledTimes(2);
  });

  it('with ADMIN_PERMISSION_CACHE_MS=0, asks on every check', async () => {
    const { source, post } = setup(0, async () => ({ permissions: [] }));
    await source.permissionsOf('t1', 'u1');
    await source.permissionsOf('t1', 'u1');
    expect(post).toHaveBeenCalledTimes(2);
  });
});
