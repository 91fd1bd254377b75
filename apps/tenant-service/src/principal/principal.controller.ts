import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { PrincipalService, ResolvePrincipalRequest } from './principal.service';

/**
 * Internal: the gateway turns a verified external identity into a caller of this system
 * (a known tenant, and a user or device of its directory). Not part of the public API.
 */
@Controller('internal/principals')
export class PrincipalController {
  constructor(private readonly principals: PrincipalService) {}

  @Post('resolve')
  @HttpCode(200)
  resolve(@Req() req: { caller: Caller }, @Body() body: ResolvePrincipalRequest) {
    if (req.caller.kind !== 'service' || req.caller.service !== 'gateway') return { principal: null, reason: 'only the gateway resolves principals' };
    return this.principals.resolve(body ?? ({} as ResolvePrincipalRequest));
  }
}
