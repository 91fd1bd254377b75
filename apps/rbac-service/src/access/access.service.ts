import { Injectable } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { AccessDecisionRequest, AdminPermission, decideRemoteHelpAccess, Decision, isUuid, SessionMode } from '@remote-help/domain';
import { forbidden, notFound, tenantOf } from '@remote-help/service-kit';
import { AccessDataService } from './access-data.service';
import { mayCheckAccess } from './access-rules';
import { DecisionFacts, toDecisionInput } from './decision-facts';

export type AccessQuery = AccessDecisionRequest;

/**
 * Access decisions: `decideRemoteHelpAccess` (libs/domain) fed from the local copy only, the same
 * way for checkRemoteHelpAccess and for session-service's POST /internal/access-decisions.
 */
@Injectable()
export class AccessService {
  constructor(private readonly data: AccessDataService) {}

  /** The decision and the facts it was made on (one query, then the pure function). */
  async decide(q: AccessQuery, now = new Date()): Promise<{ decision: Decision; facts: DecisionFacts }> {
    const facts = await this.data.decisionFacts(factsQuery(q));
    return { decision: decisionOn(q, facts, now), facts };
  }

  /** checkRemoteHelpAccess: the helper about themself, or a caller with MANAGE_ROLES or READ_REPORTS. */
  async check(caller: Caller, helperId: string, deviceId: string, mode: SessionMode): Promise<Decision> {
    const tenantId = tenantOf(caller);
    if (caller.kind !== 'user') throw forbidden(REFUSED);
    const own = caller.userId.toLowerCase() === helperId.toLowerCase();
    const q: AccessQuery = { tenantId, helperId, deviceId, mode };
    // An admin's permissions are read with the facts, in one round trip; the decision is returned only if allowed to.
    let facts: DecisionFacts;
    let adminPermissions: AdminPermission[] = [];
    if (own) {
      facts = await this.data.decisionFacts(factsQuery(q));
    } else {
      ({ facts, callerAdminPermissions: adminPermissions } = await this.data.decisionFactsAndCallerPermissions(factsQuery(q), isUuid(caller.userId) ? caller.userId : ZERO));
    }
    if (!mayCheckAccess(caller, helperId, adminPermissions)) throw forbidden(REFUSED);
    if (!facts.helper || facts.helper.tenant_id !== tenantId) throw notFound(`helper ${helperId}`);
    if (!facts.device || facts.device.tenant_id !== tenantId) throw notFound(`device ${deviceId}`);
    return decisionOn(q, facts, new Date());
  }
}

/** Stands for a malformed id in the query (matches nothing). */
const ZERO = '00000000-0000-0000-0000-000000000000';

const REFUSED = 'you may check only your own access, unless you hold MANAGE_ROLES or READ_REPORTS';

/** The ids of the query as the facts query takes them (a malformed id matches nothing). */
function factsQuery(q: AccessQuery) {
  return {
    tenantId: q.tenantId,
    helperId: isUuid(q.helperId) ? q.helperId : ZERO,
    deviceId: isUuid(q.deviceId) ? q.deviceId : ZERO,
    targetUserId: q.targetUserId && isUuid(q.targetUserId) ? q.targetUserId : q.targetUserId ? ZERO : null,
  };
}

function decisionOn(q: AccessQuery, facts: DecisionFacts, now: Date): Decision {
  return decideRemoteHelpAccess(toDecisionInput({ tenantId: q.tenantId, mode: q.mode, now, facts, targetUserId: q.targetUserId, complianceAcknowledged: q.complianceAcknowledged, reasonGiven: q.reasonGiven }));
}
