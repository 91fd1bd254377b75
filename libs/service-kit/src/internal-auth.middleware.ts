import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { type Caller, SERVICE_ISSUER } from '@remote-help/auth';
import type { NextFunction, Request, Response } from 'express';
import { INTERNAL_TOKEN_VERIFIER, SERVICE_TOKEN_VERIFIER } from './tokens';

export interface InternalTokenVerifier {
  verify(token: string): Promise<{ caller: Caller; requestId?: string }>;
}

/** The answer (status 401) to a request without a valid token. */
export const UNAUTHENTICATED_BODY = {
  errors: [{ message: 'this service answers only the gateway: missing or invalid internal token', extensions: { code: 'UNAUTHENTICATED' } }],
};

/**
 * Subgraphs answer only the gateway: every request to /graphql or /internal must carry a valid
 * internal token for this service's audience. /internal also accepts a service-to-service token
 * (signed with the services' key), whose caller must be a service.
 */
@Injectable()
export class InternalAuthMiddleware implements NestMiddleware {
  constructor(
    @Inject(INTERNAL_TOKEN_VERIFIER) private readonly gatewayTokens: InternalTokenVerifier,
    @Inject(SERVICE_TOKEN_VERIFIER) private readonly serviceTokens: InternalTokenVerifier,
  ) {}

  async use(req: Request & { caller?: Caller }, res: Response, next: NextFunction) {
    const caller = await this.authenticate(req.headers.authorization, req.originalUrl.startsWith('/internal/'));
    if (!caller) {
      res.status(401).json(UNAUTHENTICATED_BODY);
      return;
    }
    req.caller = caller;
    next();
  }

  /** The caller of a request with this `authorization` header; undefined when it is missing or invalid. */
  async authenticate(authorization: string | undefined, internalRoute: boolean): Promise<Caller | undefined> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    return match ? this.callerOf(match[1], internalRoute) : undefined;
  }

  /**
   * The token's claimed issuer picks the one verifier that can accept it (which checks the issuer
   * again, with the signature): a service token is never tried, and refused, as a gateway token
   * first (a failed verification is not cached, so that would cost a signature check per call).
   */
  private async callerOf(token: string, internalRoute: boolean): Promise<Caller | undefined> {
    try {
      if (!internalRoute || claimedIssuer(token) !== SERVICE_ISSUER) return (await this.gatewayTokens.verify(token)).caller;
      const { caller } = await this.serviceTokens.verify(token);
      return caller.kind === 'service' ? caller : undefined;
    } catch {
      return undefined;
    }
  }
}

/** The `iss` claim of a JWT, unverified (only to choose a verifier); undefined when unreadable. */
export function claimedIssuer(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const iss = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown }).iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}
