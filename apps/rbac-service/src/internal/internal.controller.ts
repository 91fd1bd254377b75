import { BadRequestException, Body, Controller, ForbiddenException, HttpCode, Post, Req } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { InternalRoutes } from '@remote-help/service-kit';
import { AccessDataService } from '../access/access-data.service';
import { internalCallerRefusal } from '../access/access-rules';
import { AccessService } from '../access/access.service';
import { deviceFacts, tenantFacts, userFacts } from '../access/decision-facts';
import { parseAccessDecisionRequest, parseAdminPermissionsRequest, Parsed } from './internal-requests';

/**
 * rbac-service's internal API (not part of the public contract), behind the internal-token
 * middleware: services only (and the gateway, as the service "gateway"); a caller that carries a
 * tenant may ask only about that tenant (403 otherwise; 400 for a malformed body). The service's
 * front (`InternalRoutes`) serves both endpoints with these same methods, without Express and Nest's
 * middleware chain; Nest's routes serve what the front passes on.
 */
@Controller('internal')
export class InternalController {
  constructor(
    private readonly data: AccessDataService,
    private readonly access: AccessService,
    routes: InternalRoutes,
  ) {
    routes.post('/internal/admin-permissions', ({ caller, body }) => this.adminPermissions({ caller }, body));
    routes.post('/internal/access-decisions', ({ caller, body }) => this.accessDecision({ caller }, body));
  }

  /** `{ tenantId, userId }` -> `{ permissions }`: the user's tenant-wide admin permissions (AdminAuthorizer's source). */
  @Post('admin-permissions')
  @HttpCode(200)
  async adminPermissions(@Req() req: { caller?: Caller }, @Body() body: unknown) {
    const r = checked(req.caller, parseAdminPermissionsRequest(body));
    return { permissions: await this.data.adminPermissions(r.tenantId, r.userId) };
  }

  /**
   * `{ tenantId, helperId, deviceId, mode, targetUserId?, complianceAcknowledged?, reasonGiven? }` ->
   * `{ decision, tenant, device, helper, targetUser }`: the decision of checkRemoteHelpAccess (same
   * function, same data; `targetUserId` = the sharer who joined, default the device's primary
   * user) and the facts it was made on. device / helper are null when unknown in the tenant.
   */
  @Post('access-decisions')
  @HttpCode(200)
  async accessDecision(@Req() req: { caller?: Caller }, @Body() body: unknown) {
    const r = checked(req.caller, parseAccessDecisionRequest(body));
    const { decision, facts } = await this.access.decide(r);
    const inTenant = <T extends { tenant_id: string }>(x: T | null) => (x && x.tenant_id === r.tenantId ? x : null);
    const device = inTenant(facts.device);
    const helper = inTenant(facts.helper);
    return {
      decision,
      tenant: facts.tenant ? tenantFacts(facts.tenant) : null,
      device: device ? deviceFacts(device) : null,
      helper: helper ? userFacts(helper) : null,
      targetUser: facts.targetUser ? userFacts(facts.targetUser) : null,
    };
  }
}

function checked<T extends { tenantId: string }>(caller: Caller | undefined, parsed: Parsed<T>): T {
  if (caller?.kind !== 'service') throw new ForbiddenException('only services may call this endpoint');
  if (!parsed.ok) throw new BadRequestException(parsed.error);
  const refusal = internalCallerRefusal(caller, parsed.value.tenantId);
  if (refusal) throw new ForbiddenException(refusal);
  return parsed.value;
}
