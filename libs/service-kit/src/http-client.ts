import { Agent, request } from 'undici';

export interface HttpResult {
  status: number;
  /** Response headers, names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** The body as text. */
  text: string;
}

/**
 * The HTTP client of the calls between our own processes (gateway -> subgraph, service ->
 * service): undici's request API over a keep-alive connection pool per origin. It does far less
 * per call than `fetch` (no WHATWG Request/Response/Headers objects, no stream wrappers, no
 * abort-signal timer), which is most of a gateway's cost per subgraph hop.
 *
 * The timeout bounds the wait for the response's headers and, separately, each pause while its
 * body arrives; a peer that never answers costs one timeout.
 */
export class HttpClient {
  private readonly agent: Agent;

  constructor(
    private readonly timeoutMs: number,
    opts: { connectionsPerOrigin?: number } = {},
  ) {
    this.agent = new Agent({
      connections: opts.connectionsPerOrigin ?? 256,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 60_000,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connectTimeout: timeoutMs,
    });
  }

  async post(url: string, headers: Record<string, string>, body: string): Promise<HttpResult> {
    const res = await request(url, { method: 'POST', headers, body, dispatcher: this.agent });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text };
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
