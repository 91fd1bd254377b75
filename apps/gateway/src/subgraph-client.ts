import { Caller, createInternalTokenSigner } from '@remote-help/auth';

export type InternalSigner = ReturnType<typeof createInternalTokenSigner>;

/** The gateway's own calls to a subgraph's internal endpoints, as the `gateway` service. */
export class SubgraphClient {
  private static readonly GATEWAY: Caller = { kind: 'service', service: 'gateway' };

  constructor(
    private readonly signer: InternalSigner,
    private readonly timeoutMs: number,
  ) {}

  async post<T>(baseUrl: string, audience: string, path: string, body: unknown, requestId?: string): Promise<T> {
    const url = new URL(path, baseUrl).toString();
    const token = await this.signer.sign(SubgraphClient.GATEWAY, audience, requestId);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(requestId ? { 'x-request-id': requestId } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`${audience} answered ${res.status} on ${path}`);
    return (await res.json()) as T;
  }
}
