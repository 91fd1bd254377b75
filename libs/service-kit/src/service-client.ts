import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Caller, createInternalTokenSigner, SERVICE_ISSUER } from '@remote-help/auth';
import { HttpClient, HttpResult } from './http-client';
import type { ServiceOptions } from './service-options';
import { SERVICE_OPTIONS } from './tokens';

export type InternalTarget = 'tenant-service' | 'rbac-service';

export class ServiceCallError extends Error {}

/** Calls another service's /internal endpoints with a service-to-service token for it. */
@Injectable()
export class ServiceClient implements OnModuleDestroy {
  private readonly signer;
  private readonly http: HttpClient;

  constructor(@Inject(SERVICE_OPTIONS) private readonly options: ServiceOptions) {
    this.signer = createInternalTokenSigner(options.serviceKeys.privateKeyPem, { issuer: SERVICE_ISSUER });
    this.http = new HttpClient(options.config.INTERNAL_CALL_TIMEOUT_MS);
  }

  async onModuleDestroy(): Promise<void> {
    await this.http.close();
  }

  async post<T>(target: InternalTarget, path: string, body: unknown, tenantId?: string): Promise<T> {
    const { config } = this.options;
    const base = target === 'rbac-service' ? config.RBAC_SERVICE_INTERNAL_URL : config.TENANT_SERVICE_INTERNAL_URL;
    const caller: Caller = { kind: 'service', service: this.options.name, ...(tenantId ? { tenantId } : {}) };
    const token = await this.signer.sign(caller, target);
    let res: HttpResult;
    try {
      res = await this.http.post(new URL(path, base).toString(), { 'content-type': 'application/json', authorization: `Bearer ${token}` }, JSON.stringify(body));
    } catch (e) {
      throw new ServiceCallError(`${target} did not answer ${path}: ${(e as Error).message}`);
    }
    if (res.status < 200 || res.status >= 300) throw new ServiceCallError(`${target} answered ${res.status} on ${path}`);
    try {
      return JSON.parse(res.text) as T;
    } catch {
      throw new ServiceCallError(`${target} answered ${path} with a body that is not JSON`);
    }
  }
}
