import { SessionMode } from '@remote-help/domain';
import type { ServiceClient } from '@remote-help/service-kit';
import { ServiceCallError } from '@remote-help/service-kit';
import { AccessDecisions } from './access-decisions';

const T = '11111111-1111-4111-8111-111111111111';
const query = { tenantId: T, helperId: 'h', deviceId: 'd', mode: SessionMode.VIEW_ONLY, targetUserId: 's', complianceAcknowledged: false };

function withClient(post: (...args: unknown[]) => Promise<unknown>) {
  return new AccessDecisions({ post } as unknown as ServiceClient);
}

describe('access decisions', () => {
  it("asks rbac-service's internal endpoint, for the caller's tenant", async () => {
    const post = jest.fn().mockResolvedValue({ decision: { allowed: true, reasons: [], grantedPermissions: ['VIEW_SCREEN'] }, device: null, tenant: null });
    const answer = await withClient(post).decide(query);
    expect(post).toHaveBeenCalledWith('rbac-service', '/internal/access-decisions', { tenantId: T, helperId: 'h', deviceId: 'd', mode: 'VIEW_ONLY', targetUserId: 's', complianceAcknowledged: false }, T);
    expect(answer.decision.allowed).toBe(true);
  });

  it('fails closed with FORBIDDEN when rbac-service does not answer', async () => {
    const refused = withClient(() => Promise.reject(new ServiceCallError('rbac-service did not answer')));
    await expect(refused.decide(query)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringMatching(/cannot be verified/) });
  });

  it('fails closed with FORBIDDEN when the answer is unreadable', async () => {
    const odd = withClient(() => Promise.resolve({ decision: { allowed: true, reasons: ['CROSS_TENANT'], grantedPermissions: [] } }));
    await expect(odd.decide(query)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });
});
