import type { DocumentNode, ExecutionArgs, ExecutionResult } from 'graphql';
import { createSourceEventStream, execute, getOperationAST, Kind, subscribe } from 'graphql';

type Execution = ExecutionResult | Promise<ExecutionResult>;

/**
 * `subscribe` for graphql-ws that, for root fields whose pushed payloads do not depend on who
 * subscribed (`sharedFields`, e.g. a tenant's active session count), executes each pushed payload
 * once per document and variables and hands the same result to every subscriber: with 10,000
 * dashboards on one tenant, one execution per change instead of 10,000. Authorisation is unchanged:
 * each subscription still runs its own `subscribe` resolver (createSourceEventStream), and only
 * subscribers that passed it receive the payloads. Other subscriptions go through graphql's own
 * `subscribe` (their payloads are resolved with the subscriber's identity).
 */
export function sharedSubscribe(sharedFields: ReadonlySet<string>) {
  // payload object (pushed by the hub to every subscriber of a channel) -> document -> variables -> result
  const results = new WeakMap<object, Map<DocumentNode, Map<string, Execution>>>();
  return async (args: ExecutionArgs) => {
    const operation = getOperationAST(args.document, args.operationName);
    const selections = operation?.selectionSet.selections ?? [];
    const only = selections.length === 1 ? selections[0] : undefined;
    if (operation?.operation !== 'subscription' || only?.kind !== Kind.FIELD || !sharedFields.has(only.name.value)) return subscribe(args);
    const source = await createSourceEventStream(args);
    if (!isAsyncIterator(source)) return source as ExecutionResult; // refused: the errors
    const variables = JSON.stringify(args.variableValues ?? {});
    const run = (payload: unknown): Execution => {
      if (typeof payload !== 'object' || payload === null) return execute({ ...args, rootValue: payload });
      let byDocument = results.get(payload);
      if (!byDocument) results.set(payload, (byDocument = new Map()));
      let byVariables = byDocument.get(args.document);
      if (!byVariables) byDocument.set(args.document, (byVariables = new Map()));
      let result = byVariables.get(variables);
      if (!result) byVariables.set(variables, (result = execute({ ...args, rootValue: payload })));
      return result;
    };
    return mapIterator(source, run);
  };
}

function isAsyncIterator(value: unknown): value is AsyncIterator<unknown> & AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

function mapIterator<T>(source: AsyncIterator<unknown>, fn: (value: unknown) => T | Promise<T>): AsyncGenerator<T, undefined> {
  const close = async () => {
    await source.return?.();
    return { value: undefined, done: true } as const;
  };
  const iterator: AsyncGenerator<T, undefined> = {
    async next() {
      const r = await source.next();
      if (r.done) return { value: undefined, done: true };
      try {
        return { value: await fn(r.value), done: false };
      } catch (e) {
        await source.return?.();
        throw e;
      }
    },
    return: close,
    async throw(e: unknown) {
      await source.return?.();
      throw e;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
    async [Symbol.asyncDispose]() {
      await close();
    },
  };
  return iterator;
}
