import { Caller, createTokenVerifier, ExternalIdentity, IssuerConfig } from '@remote-help/auth';
import { unauthenticated } from '@remote-help/service-kit';

export interface PrincipalResolver {
  resolve(identity: ExternalIdentity): Promise<{ principal: Caller | null; reason?: string }>;
}

interface CacheEntry {
  at: number;
  principal: Caller | null;
  reason?: string;
}

/**
 * Who is calling: the bearer token verified against the configured issuers, then matched to a
 * known tenant and a user or dedicated device of its directory (asked of tenant-service, and
 * remembered briefly so that the hot path does not ask on every request).
 */
export class IdentityService {
  private readonly verifier;
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    issuers: IssuerConfig[],
    private readonly principals: PrincipalResolver,
    private readonly ttlMs = 30_000,
    private readonly negativeTtlMs = 2_000,
  ) {
    this.verifier = createTokenVerifier(issuers);
  }

  async authenticate(authorization: string | undefined): Promise<Caller> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw unauthenticated('missing bearer token: send "Authorization: Bearer <token>"');
    let identity: ExternalIdentity;
    try {
      identity = await this.verifier.verify(match[1]);
    } catch (e) {
      throw unauthenticated(`invalid token: ${(e as Error).message}`);
    }
    const key = JSON.stringify([identity.issuer, identity.tenantId, identity.userObjectId, identity.upn, identity.deviceId]);
    const now = Date.now();
    let entry = this.cache.get(key);
    if (!entry || now - entry.at > (entry.principal ? this.ttlMs : this.negativeTtlMs)) {
      let result: { principal: Caller | null; reason?: string };
      try {
        result = await this.principals.resolve(identity);
      } catch {
        throw unauthenticated('cannot verify the caller right now: the directory is unavailable');
      }
      entry = { at: now, principal: result.principal, reason: result.reason };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(key, entry);
    }
    if (!entry.principal) throw unauthenticated(`invalid token: ${entry.reason ?? 'unknown caller'}`);
    return entry.principal;
  }
}
