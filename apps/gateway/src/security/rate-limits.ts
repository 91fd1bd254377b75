import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { Caller } from '@remote-help/auth';
import type { DocumentNode, FragmentDefinitionNode, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { GraphQLError, Kind } from 'graphql';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RATE_USAGE_BUDGETS, type RateUsageBudget, type RateUsageEntry } from '@remote-help/events';

/** Root fields under the stricter limits: starting a session and guessing a session's security code. */
export const STRICT_FIELDS: ReadonlySet<string> = new Set(['requestSession', 'joinSession']);
export const RATE_LIMITED = 'RATE_LIMITED';

export interface RateLimitSettings {
  windowSeconds: number;
  /** Operations per window; 0 turns a limit off. */
  perCaller: number;
  perTenant: number;
  strictPerCaller: number;
  strictPerTenant: number;
}

/** Over a limit: HTTP 429 with `Retry-After`, and `extensions: { code: 'RATE_LIMITED', retryAfterSeconds }`. */
export function rateLimited(what: string, retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`too many requests (${what}): try again in ${retryAfterSeconds} s`, {
    extensions: {
      code: RATE_LIMITED,
      retryAfterSeconds,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}

/** The budgets, by the name reports between gateways give them (the rate-usage messages' contract). */
export const BUDGETS = RATE_USAGE_BUDGETS;
export type Budget = RateUsageBudget;
/** Points taken from one key of one budget. */
export type Usage = RateUsageEntry;

/**
 * Request budgets per caller and per tenant (fixed windows in this process's memory, with
 * rate-limiter-flexible). Every tenant and every caller has its own budget, so one tenant
 * running out slows no other.
 *
 * Across gateway replicas (`share`): what this gateway admits is also noted as usage, which
 * RateLimitSync sends to the other gateways every few hundred milliseconds, and their usage is
 * added here (`addUsage`), so that each gateway counts every replica's requests, at most one
 * sync late. No request waits for any of it.
 */
export class RateLimits {
  private readonly limiters = new Map<Budget, RateLimiterMemory>();
  /** Points admitted here since the last `takeUsage`, by budget and key (only when shared). */
  private pending?: Map<Budget, Map<string, number>>;

  constructor(
    readonly settings: RateLimitSettings,
    opts: { share?: boolean } = {},
  ) {
    const points: Record<Budget, number> = { caller: settings.perCaller, tenant: settings.perTenant, 'strict-caller': settings.strictPerCaller, 'strict-tenant': settings.strictPerTenant };
    for (const budget of BUDGETS) if (points[budget] > 0) this.limiters.set(budget, new RateLimiterMemory({ points: points[budget], duration: settings.windowSeconds, keyPrefix: budget }));
    if (opts.share) this.pending = new Map();
  }

  /** One request of this caller (any operation, before it is even parsed). Throws `rateLimited`. */
  async request(caller: Caller): Promise<void> {
    const keys = keysOf(caller);
    if (!keys) return;
    await this.take('caller', keys.caller, 1, 'per caller');
    await this.take('tenant', keys.tenant, 1, 'per tenant');
  }

  /** The operation's root fields: each `requestSession`/`joinSession` also takes from the stricter budgets. */
  async operation(caller: Caller, rootFields: string[]): Promise<void> {
    const keys = keysOf(caller);
    const strict = rootFields.filter((f) => STRICT_FIELDS.has(f)).length;
    if (!keys || strict === 0) return;
    await this.take('strict-caller', keys.caller, strict, 'requestSession/joinSession per caller');
    await this.take('strict-tenant', keys.tenant, strict, 'requestSession/joinSession per tenant');
  }

  /** The usage admitted here since the last call (empty unless shared), forgotten here. */
  takeUsage(): Usage[] {
    const out: Usage[] = [];
    if (!this.pending) return out;
    for (const [budget, keys] of this.pending) for (const [key, points] of keys) out.push([budget, key, points]);
    this.pending.clear();
    return out;
  }

  /** Adds other gateways' usage to this gateway's windows; returns the points added (budgets turned off here are skipped). */
  async addUsage(usage: Usage[]): Promise<number> {
    let added = 0;
    const penalties: Promise<unknown>[] = [];
    for (const [budget, key, points] of usage) {
      const limiter = this.limiters.get(budget);
      if (!limiter) continue;
      added += points;
      penalties.push(limiter.penalty(key, points));
    }
    await Promise.all(penalties);
    return added;
  }

  private async take(budget: Budget, key: string, points: number, what: string): Promise<void> {
    const limiter = this.limiters.get(budget);
    if (!limiter) return;
    try {
      await limiter.consume(key, points);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      throw rateLimited(what, Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
    }
    if (this.pending) {
      let keys = this.pending.get(budget);
      if (!keys) this.pending.set(budget, (keys = new Map()));
      keys.set(key, (keys.get(key) ?? 0) + points);
    }
  }
}

function keysOf(caller: Caller): { caller: string; tenant: string } | undefined {
  switch (caller.kind) {
    case 'user':
      return { caller: `${caller.tenantId}/user:${caller.userId}`, tenant: caller.tenantId };
    case 'device':
      return { caller: `${caller.tenantId}/device:${caller.deviceId}`, tenant: caller.tenantId };
    default:
      return undefined; // the gateway's own calls
  }
}

/**
 * The root fields an operation executes, by response key (an aliased field counts once per
 * alias), through inline fragments and fragment spreads. `@skip`/`@include` are not evaluated:
 * a conditional field counts as executed.
 */
export function rootFieldsOf(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const byResponseKey = new Map<string, string>();
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (!sel.name.value.startsWith('__')) byResponseKey.set(sel.alias?.value ?? sel.name.value, sel.name.value);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        walk(sel.selectionSet);
      } else if (!visited.has(sel.name.value)) {
        visited.add(sel.name.value);
        const f = fragments.get(sel.name.value);
        if (f) walk(f.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return [...byResponseKey.values()];
}

export interface RateLimitedContext {
  caller: Caller;
  /** Set on the gateway's own operations (subscription payloads resolved for a subscriber). */
  internal?: boolean;
}

/** Applies the stricter per-field budgets once the operation is known (after parsing and validation). */
export function rateLimitPlugin<C extends RateLimitedContext>(limits: RateLimits): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operation }) {
          if (contextValue.internal || !operation) return;
          await limits.operation(contextValue.caller, rootFieldsOf(document, operation));
        },
      };
    },
  };
}
