import { Injectable, Logger } from '@nestjs/common';
import { forbidden, ServiceClient } from '@remote-help/service-kit';
import { AccessAnswer, AccessQuery, parseAccessAnswer } from './access-answer';

/**
 * Every session passes rbac-service's access decision (the same function and data as
 * checkRemoteHelpAccess). Fails closed: when rbac-service does not answer, or answers something
 * unreadable, the action is refused with FORBIDDEN and nothing changes.
 */
@Injectable()
export class AccessDecisions {
  private readonly log = new Logger('AccessDecisions');

  constructor(private readonly client: ServiceClient) {}

  async decide(q: AccessQuery): Promise<AccessAnswer> {
    const body: Record<string, unknown> = { tenantId: q.tenantId, helperId: q.helperId, deviceId: q.deviceId, mode: q.mode };
    if (q.targetUserId) body.targetUserId = q.targetUserId;
    if (q.complianceAcknowledged !== undefined) body.complianceAcknowledged = q.complianceAcknowledged;
    if (q.reasonGiven !== undefined) body.reasonGiven = q.reasonGiven;
    try {
      const raw = await this.client.post<unknown>('rbac-service', '/internal/access-decisions', body, q.tenantId);
      return parseAccessAnswer(raw);
    } catch (e) {
      this.log.error(`access decision unavailable: ${(e as Error).message}`);
      throw forbidden('Remote Help access cannot be verified right now (the access decision did not answer), so nothing was done; try again in a moment');
    }
  }
}
