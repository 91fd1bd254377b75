import type { Caller, ExternalIdentity } from '@remote-help/auth';
import { AuthError } from '@remote-help/auth';
import type { PrincipalQuery } from './identity';
import { IdentityService } from './identity';

const alice: Caller = { kind: 'user', tenantId: 't1', userId: 'u-alice', upn: 'alice@contoso.com' };

function setup(identity: Partial<ExternalIdentity> | Error) {
  const verifier = {
    verify: jest.fn(async () => {
      if (identity instanceof Error) throw identity;
      return { issuer: 'i', tenantId: 't1', expiresAt: new Date(), ...identity } as ExternalIdentity;
    }),
  };
  const asked: PrincipalQuery[] = [];
  const resolver = {
    resolve: jest.fn(async (q: PrincipalQuery) => {
      asked.push(q);
      return q.upn?.toLowerCase() === 'alice@contoso.com' ? { principal: alice } : { principal: null, reason: 'unknown user in this tenant' };
    }),
  };
  return { service: new IdentityService(verifier, resolver), asked, resolver };
}

const codeAndMessage = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e) => `${e.extensions.code}: ${e.message}`,
  );

describe('IdentityService', () => {
  it("asks the directory for the user by UPN only, never by the token's object id", async () => {
    const { service, asked } = setup({ userObjectId: 'oid-from-the-idp', upn: 'Alice@Contoso.com' });
    expect(await service.authenticate('Bearer x.y.z')).toEqual(alice);
    expect(asked).toEqual([{ tenantId: 't1', upn: 'Alice@Contoso.com' }]);
  });

  it('refuses a user token without a UPN', async () => {
    const { service, resolver } = setup({ userObjectId: 'oid-only' });
    expect(await codeAndMessage(service.authenticate('Bearer x.y.z'))).toMatch(/^UNAUTHENTICATED: invalid token: it names no user principal name/);
    expect(resolver.resolve).not.toHaveBeenCalled();
  });

  it('refuses an unknown user (no account is created)', async () => {
    const { service } = setup({ upn: 'mallory@contoso.com' });
    expect(await codeAndMessage(service.authenticate('Bearer x.y.z'))).toBe('UNAUTHENTICATED: invalid token: unknown user in this tenant');
  });

  it('resolves a dedicated device by its id', async () => {
    const { service, asked } = setup({ deviceId: 'kiosk-1' });
    await service.authenticate('Bearer x.y.z').catch(() => undefined);
    expect(asked).toEqual([{ tenantId: 't1', deviceId: 'kiosk-1' }]);
  });

  it('refuses a missing bearer token and a token the verifier refuses', async () => {
    expect(await codeAndMessage(setup({ upn: 'alice@contoso.com' }).service.authenticate(undefined))).toMatch(/^UNAUTHENTICATED: missing bearer token/);
    expect(await codeAndMessage(setup(new AuthError('unknown issuer')).service.authenticate('Bearer a.b.c'))).toBe('UNAUTHENTICATED: invalid token: unknown issuer');
  });

  it('remembers a resolved principal briefly', async () => {
    const { service, resolver } = setup({ upn: 'alice@contoso.com' });
    await service.authenticate('Bearer a');
    await service.authenticate('Bearer b');
    expect(resolver.resolve).toHaveBeenCalledTimes(1);
  });

  it('asks the directory once for a burst of requests with the same identity', async () => {
    const { service, resolver } = setup({ upn: 'alice@contoso.com' });
    const callers = await Promise.all([service.authenticate('Bearer a'), service.authenticate('Bearer b'), service.authenticate('Bearer c')]);
    expect(callers).toEqual([alice, alice, alice]);
    expect(resolver.resolve).toHaveBeenCalledTimes(1);
  });

  it('answers UNAUTHENTICATED when the directory cannot be asked', async () => {
    const verifier = { verify: async () => ({ issuer: 'i', tenantId: 't1', upn: 'a@b', expiresAt: new Date() }) };
    const service = new IdentityService(verifier, {
      resolve: async () => {
        throw new Error('ECONNREFUSED 10.0.0.7:4001');
      },
    });
    expect(await codeAndMessage(service.authenticate('Bearer a'))).toBe('UNAUTHENTICATED: cannot verify the caller right now: the directory is unavailable');
  });
});
