import { Inject, Injectable } from '@nestjs/common';
import { Caller, createInternalTokenSigner, SERVICE_ISSUER } from '@remote-help/auth';
import type { ServiceOptions } from './service-options';
import { SERVICE_OPTIONS } from './tokens';

export type InternalTarget = 'tenant-service' | 'rbac-service';

export class ServiceCallError extends Error {}

/** Calls another service's /internal endpoints with a service-to-service token for it. */
@Injectable()
export class ServiceClient {
  private readonly signer;

  constructor(@Inject(SERVICE_OPTIONS) private readonly options: ServiceOptions) {
    this.signer = createInternalTokenSigner(options.serviceKeys.privateKeyPem, { issuer: SERVICE_ISSUER });
  }

  async post<T>(target: InternalTarget, path: string, body: unknown, tenantId?: string): Promise<T> {
    const { config } = this.options;
    const base = target === 'rbac-service' ? config.RBAC_SERVICE_INTERNAL_URL : config.TENANT_SERVICE_INTERNAL_URL;
    const caller: Caller = { kind: 'service', service: this.options.name, ...(tenantId ? { tenantId } : {}) };
    const token = await this.signer.sign(caller, target);
    let res: Response;
    try {
      res = await fetch(new URL(path, base), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(config.INTERNAL_CALL_TIMEOUT_MS),
      });
    } catch (e) {
      throw new ServiceCallError(`${target} did not answer ${path}: ${(e as Error).message}`);
    }
    if (!res.ok) throw new ServiceCallError(`${target} answered ${res.status} on ${path}`);
    return (await res.json()) as T;
  }
}
