import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Caller } from '@remote-help/auth';
import type { HttpClient, HttpResult } from '@remote-help/service-kit';
import { GraphQLError } from 'graphql';
import { STATUS_CODES } from 'node:http';

type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/** What a data source needs of the request context (the gateway's context carries more). */
export interface SubgraphCallContext {
  caller?: Caller;
  requestId?: string;
}

export interface InternalTokens {
  sign(caller: Caller, audience: string, requestId?: string): Promise<string>;
}

/**
 * One subgraph as the query planner sees it: each fetch of a plan is POSTed as JSON to the
 * subgraph, with the verified caller as a short-lived internal token for that subgraph.
 *
 * It does what @apollo/gateway's RemoteGraphQLDataSource does for the options this gateway uses
 * (no automatic persisted queries, no subgraph cache hints) on a keep-alive undici pool, without
 * the per-call WHATWG Request/Headers objects that made each hop cost more than the subgraph's
 * own work. Non-2xx answers become the same errors RemoteGraphQLDataSource gives (401
 * UNAUTHENTICATED, 403 FORBIDDEN, else the status line), and 413 a clear BAD_USER_INPUT.
 *
 * Identical fetches in flight at the same time are sent once (as Hive Gateway does by default):
 * same subgraph, same internal token (so the same caller) and the same query and variables,
 * and only while answering a query operation (never a mutation's fetches, which must see what
 * the mutation wrote). Each waiter parses its own copy of the answer.
 */
export class SubgraphDataSource<TContext extends SubgraphCallContext> implements GraphQLDataSource<TContext> {
  constructor(
    readonly url: string,
    private readonly audience: string,
    private readonly tokens: InternalTokens,
    private readonly http: Pick<HttpClient, 'post'>,
    private readonly opts: { dedupeInflight?: boolean } = {},
  ) {}

  private readonly inflight = new Map<string, Promise<HttpResult>>();

  async process(options: GraphQLDataSourceProcessOptions<TContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    if (!request.query) throw new Error('Missing query');
    const context = options.context as TContext | undefined;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (context?.caller) {
      headers.authorization = `Bearer ${await this.tokens.sign(context.caller, this.audience, context.requestId)}`;
      if (context.requestId) headers['x-request-id'] = context.requestId;
    }
    const body = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName, extensions: request.extensions });
    const res = await (this.opts.dedupeInflight && isQueryFetch(options) ? this.shared(headers, body) : this.http.post(this.url, headers, body));
    const contentType = String(res.headers['content-type'] ?? '');
    const json = /^application\/(graphql-response\+)?json/.test(contentType);
    if (res.status < 200 || res.status >= 300) throw this.errorFromStatus(res.status, json ? safeParse(res.text) : res.text);
    const parsed = json ? safeParse(res.text) : undefined;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`Expected JSON response body, but received: ${res.text.slice(0, 200)}`);
    return parsed as GatewayGraphQLResponse;
  }

  /** The answer of an identical fetch already in flight, or a new one that others may share. */
  private shared(headers: Record<string, string>, body: string): Promise<HttpResult> {
    const key = `${headers.authorization ?? ''}\n${body}`;
    const inflight = this.inflight.get(key);
    if (inflight) return inflight;
    const sent = this.http.post(this.url, headers, body);
    this.inflight.set(key, sent);
    sent.then(
      () => this.inflight.delete(key),
      () => this.inflight.delete(key),
    );
    return sent;
  }

  private errorFromStatus(status: number, body: unknown): GraphQLError {
    if (status === 413) return new GraphQLError('the request is too large for the service that answers it: send smaller values', { extensions: { code: 'BAD_USER_INPUT' } });
    const statusText = STATUS_CODES[status] ?? '';
    const extensions: Record<string, unknown> = { response: { url: this.url, status, statusText, body } };
    if (status === 401) extensions.code = 'UNAUTHENTICATED';
    else if (status === 403) extensions.code = 'FORBIDDEN';
    return new GraphQLError(`${status}: ${statusText}`, { extensions });
  }
}

/** A fetch made while answering a query operation, itself a query. */
function isQueryFetch(options: { kind: string; request: { query?: string } }): boolean {
  if (options.kind !== 'incoming operation') return false;
  const incoming = (options as { incomingRequestContext?: { operation?: { operation?: string } | null } }).incomingRequestContext;
  if (incoming?.operation?.operation !== 'query') return false;
  const text = options.request.query?.trimStart() ?? '';
  return text.startsWith('{') || text.startsWith('query');
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
