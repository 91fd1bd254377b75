import { INTERNAL_ISSUER, SERVICE_ISSUER, type Caller } from '@remote-help/auth';
import { claimedIssuer, InternalAuthMiddleware, type InternalTokenVerifier } from './internal-auth.middleware';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const token = (iss: string, who: string) => `${b64({ alg: 'ES256' })}.${b64({ iss, sub: who })}.sig-${who}`;

const user: Caller = { kind: 'user', tenantId: '11111111-1111-1111-1111-111111111111', userId: '22222222-2222-2222-2222-222222222222', upn: 'a@b.c' };
const service: Caller = { kind: 'service', service: 'session-service' };

/** A verifier that accepts exactly the tokens it was given (as a real one accepts its own issuer's signatures). */
function verifier(accepts: Record<string, Caller>): InternalTokenVerifier & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async verify(t: string) {
      calls.push(t);
      const caller = accepts[t];
      if (!caller) throw new Error('invalid token');
      return { caller };
    },
  };
}

async function run(mw: InternalAuthMiddleware, url: string, authorization?: string) {
  const req = { headers: { authorization }, originalUrl: url } as never as { caller?: Caller };
  let status = 200;
  const res = { status: (s: number) => ((status = s), res), json: () => res };
  let passed = false;
  await mw.use(req as never, res as never, () => (passed = true));
  return { passed, status, caller: req.caller };
}

describe('InternalAuthMiddleware', () => {
  const gatewayToken = token(INTERNAL_ISSUER, 'gw');
  const serviceToken = token(SERVICE_ISSUER, 'svc');
  const serviceTokenForAUser = token(SERVICE_ISSUER, 'svc-user');

  function setUp() {
    const gateway = verifier({ [gatewayToken]: user });
    const services = verifier({ [serviceToken]: service, [serviceTokenForAUser]: user });
    return { gateway, services, mw: new InternalAuthMiddleware(gateway, services) };
  }

  it("lets a gateway token through /graphql and /internal, asking the gateway's verifier only", async () => {
    const { gateway, services, mw } = setUp();
    expect(await run(mw, '/graphql', `Bearer ${gatewayToken}`)).toEqual({ passed: true, status: 200, caller: user });
    expect(await run(mw, '/internal/access-decisions', `Bearer ${gatewayToken}`)).toEqual({ passed: true, status: 200, caller: user });
    expect(gateway.calls).toHaveLength(2);
    expect(services.calls).toHaveLength(0);
  });

  it("lets a service token through /internal only, asking the services' verifier only, for a service caller only", async () => {
    const { gateway, services, mw } = setUp();
    expect(await run(mw, '/internal/access-decisions', `Bearer ${serviceToken}`)).toEqual({ passed: true, status: 200, caller: service });
    expect(gateway.calls).toHaveLength(0);
    expect(services.calls).toEqual([serviceToken]);
    expect((await run(mw, '/internal/access-decisions', `Bearer ${serviceTokenForAUser}`)).status).toBe(401);
    // On /graphql a service token is refused (the gateway's verifier does not accept it).
    expect(await run(mw, '/graphql', `Bearer ${serviceToken}`)).toEqual({ passed: false, status: 401, caller: undefined });
  });

  it('refuses a missing, malformed or unknown token', async () => {
    const { mw } = setUp();
    for (const auth of [undefined, '', 'Basic abc', 'Bearer', `Bearer ${token(INTERNAL_ISSUER, 'forged')}`, `Bearer ${token(SERVICE_ISSUER, 'forged')}`, 'Bearer not.a.jwt']) {
      expect((await run(mw, '/internal/admin-permissions', auth)).passed).toBe(false);
      expect((await run(mw, '/graphql', auth)).status).toBe(401);
    }
  });
});

describe('claimedIssuer', () => {
  it("reads the unverified iss claim, or nothing when it can't", () => {
    expect(claimedIssuer(token(SERVICE_ISSUER, 'x'))).toBe(SERVICE_ISSUER);
    expect(claimedIssuer(`a.${b64({ iss: 42 })}.c`)).toBeUndefined();
    expect(claimedIssuer('a.%%%.c')).toBeUndefined();
    expect(claimedIssuer('nodots')).toBeUndefined();
    expect(claimedIssuer(`a.${Buffer.from('not json').toString('base64url')}.c`)).toBeUndefined();
  });
});
