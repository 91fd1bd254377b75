import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import type { NextFunction, Request, Response } from 'express';
import { INTERNAL_TOKEN_VERIFIER } from './tokens';

export interface InternalTokenVerifier {
  verify(token: string): Promise<{ caller: Caller; requestId?: string }>;
}

/**
 * Subgraphs answer only the gateway (and trusted services): every request to /graphql or
 * /internal must carry a valid internal token for this service's audience.
 */
@Injectable()
export class InternalAuthMiddleware implements NestMiddleware {
  constructor(@Inject(INTERNAL_TOKEN_VERIFIER) private readonly verifier: InternalTokenVerifier) {}

  async use(req: Request & { caller?: Caller }, res: Response, next: NextFunction) {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    try {
      if (!match) throw new Error('no token');
      const { caller } = await this.verifier.verify(match[1]);
      req.caller = caller;
    } catch {
      res.status(401).json({ errors: [{ message: 'this service answers only the gateway: missing or invalid internal token', extensions: { code: 'UNAUTHENTICATED' } }] });
      return;
    }
    next();
  }
}
