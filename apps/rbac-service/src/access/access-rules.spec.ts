import type { Caller } from '@remote-help/auth';
import { AdminPermission as A } from '@remote-help/domain';
import { internalCallerRefusal, mayCheckAccess } from './access-rules';

const T = '11111111-1111-4111-8111-111111111111';
const helper: Caller = { kind: 'user', tenantId: T, userId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', upn: 'h@c.com' };

describe('who may check access', () => {
  it('lets a helper check themself, whatever their admin permissions', () => {
    expect(mayCheckAccess(helper, 'AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA', [])).toBe(true);
  });

  it('lets an admin with MANAGE_ROLES or READ_REPORTS check another helper', () => {
    expect(mayCheckAccess(helper, 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', [A.MANAGE_ROLES])).toBe(true);
    expect(mayCheckAccess(helper, 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', [A.READ_REPORTS])).toBe(true);
  });

  it('refuses anyone else, and devices', () => {
    expect(mayCheckAccess(helper, 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', [A.MANAGE_DIRECTORY, A.MANAGE_SETTINGS])).toBe(false);
    expect(mayCheckAccess({ kind: 'device', tenantId: T, deviceId: 'd' }, 'd', [A.MANAGE_ROLES])).toBe(false);
  });
});

describe('who may call /internal', () => {
  it('accepts services, with or without a tenant of their own', () => {
    expect(internalCallerRefusal({ kind: 'service', service: 'gateway' }, T)).toBeNull();
    expect(internalCallerRefusal({ kind: 'service', service: 'session-service', tenantId: T }, T.toUpperCase())).toBeNull();
  });

  it('refuses users, devices, nobody, and a service asking about another tenant than its own', () => {
    expect(internalCallerRefusal(helper, T)).toMatch(/only services/);
    expect(internalCallerRefusal({ kind: 'device', tenantId: T, deviceId: 'd' }, T)).toMatch(/only services/);
    expect(internalCallerRefusal(undefined, T)).toMatch(/only services/);
    expect(internalCallerRefusal({ kind: 'service', service: 'session-service', tenantId: T }, '99999999-9999-4999-8999-999999999999')).toMatch(/not the caller's tenant/);
  });
});
