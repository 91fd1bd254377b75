import type { Caller, createInternalTokenSigner } from '@remote-help/auth';
import type { HttpClient } from '@remote-help/service-kit';

export type InternalSigner = ReturnType<typeof createInternalTokenSigner>;

/** The gateway's own calls to a subgraph's internal endpoints, as the `gateway` service. */
export class SubgraphClient {
  private static readonly GATEWAY: Caller = { kind: 'service', service: 'gateway' };

  constructor(
    private readonly signer: InternalSigner,
    private readonly http: Pick<HttpClient, 'post'>,
  ) {}

  async post<T>(baseUrl: string, audience: string, path: string, body: unknown, requestId?: string): Promise<T> {
    const url = new URL(path, baseUrl).toString();
    const token = await this.signer.sign(SubgraphClient.GATEWAY, audience, requestId);
    const res = await this.http.post(url, { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(requestId ? { 'x-request-id': requestId } : {}) }, JSON.stringify(body));
    if (res.status < 200 || res.status >= 300) throw new Error(`${audience} answered ${res.status} on ${path}`);
    return JSON.parse(res.text) as T;
  }
}
