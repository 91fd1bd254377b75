import type { Caller } from '@remote-help/auth';
import { GraphQLError } from 'graphql';
import { assertMayReadDirectory, mayReadDevice, mayReadDirectory } from './directory-access';

const user: Caller = { kind: 'user', tenantId: 't', userId: 'u', upn: 'u@contoso.com' };
const device: Caller = { kind: 'device', tenantId: 't', deviceId: 'D1' };
const service: Caller = { kind: 'service', service: 'session-service', tenantId: 't' };

describe('directory read access', () => {
  it('a signed-in user reads the whole directory', () => {
    expect(mayReadDirectory(user)).toBe(true);
    expect(mayReadDevice(user, 'any')).toBe(true);
    expect(() => assertMayReadDirectory(user, 'users')).not.toThrow();
  });

  it('a dedicated device reads only itself', () => {
    expect(mayReadDirectory(device)).toBe(false);
    expect(mayReadDevice(device, 'd1')).toBe(true);
    expect(mayReadDevice(device, 'D2')).toBe(false);
    expect(() => assertMayReadDirectory(device, 'users')).toThrow(GraphQLError);
    expect(() => assertMayReadDirectory(device, 'users')).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }));
  });

  it('other callers read nothing', () => {
    expect(mayReadDirectory(service)).toBe(false);
    expect(mayReadDevice(service, 'd1')).toBe(false);
  });
});
