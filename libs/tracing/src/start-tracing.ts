import type { IncomingMessage } from 'node:http';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { TracingConfigError, tracingPlan, type TracingPlan } from './tracing-config';

/**
 * Incoming requests that start no trace: probes, scrapes, and the long-lived internal chat
 * stream (a span as long as the connection says nothing).
 */
const UNTRACED_PATHS = /^\/(health(\/|$|\?)|metrics(\/|$|\?)|internal\/chat-stream(\/|$|\?))/;

let sdk: NodeSDK | undefined;

/**
 * Starts OpenTelemetry tracing for this process, when the standard variables say where to send
 * spans (see tracingPlan): OTLP to `OTEL_EXPORTER_OTLP_ENDPOINT`, or Zipkin with
 * `OTEL_TRACES_EXPORTER=zipkin` and `OTEL_EXPORTER_ZIPKIN_ENDPOINT`. Returns whether it did.
 *
 * Call it before anything else is loaded (each process's `src/tracing.ts`, the first import of
 * its `main.ts`): the instrumentations patch http, pg, graphql and pino as they are loaded.
 * When tracing is off nothing of the SDK is loaded, nothing is patched, and the OpenTelemetry
 * API that the code calls stays its no-op self. A value that cannot work stops the process
 * with one line, like any other configuration error.
 *
 * What it records:
 * - http: a SERVER span per request served (probes, scrapes and the chat stream aside); W3C
 *   `traceparent` from the caller continues its trace;
 * - undici: a CLIENT span per call to another of our processes (the gateway's subgraph fetches,
 *   the services' internal calls), with `traceparent` sent along;
 * - graphql: parse, validate and execute of each operation (no span per resolver);
 * - pg: each query made while a span is active (background polls and timers make none);
 * - pino: `trace_id`, `span_id` and `trace_flags` on every log line written inside a span;
 * - Kafka is traced by @remote-help/events itself (outbox relay and consumers), because a
 *   relay batch and a consumer transaction each carry the events of many traces;
 * - the gateway's query planning and fetches come from @apollo/gateway's own spans.
 * Metrics stay prom-client's (`GET /metrics`) and logs stay pino's lines: the SDK gets neither.
 */
export function startTracing(serviceName: string): boolean {
  if (sdk) return true;
  let plan: TracingPlan;
  try {
    plan = tracingPlan(process.env);
  } catch (e) {
    if (!(e instanceof TracingConfigError)) throw e;
    process.stderr.write(`${serviceName}: configuration error: ${e.message}\n`);
    process.exit(1);
  }
  if (!plan.on) return false;
  // Loaded only now, so that a process without tracing loads none of it.
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME?.trim() || serviceName,
    instrumentations: instrumentations(),
    // The exporters (OTLP or Zipkin), the sampler, the batch processor and the propagators come
    // from the standard OTEL_* variables. No metric reader and no log processor: metrics are
    // served by prom-client, and logs are pino's lines (the SDK would otherwise read
    // OTEL_METRICS_EXPORTER and OTEL_LOGS_EXPORTER, both `otlp` by default).
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return true;
}

/** Sends the spans still buffered and stops tracing (a no-op when it is off). */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
}

function instrumentations(): Instrumentation[] {
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
  const { GraphQLInstrumentation } = require('@opentelemetry/instrumentation-graphql') as typeof import('@opentelemetry/instrumentation-graphql');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { PinoInstrumentation } = require('@opentelemetry/instrumentation-pino') as typeof import('@opentelemetry/instrumentation-pino');
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req: IncomingMessage) => UNTRACED_PATHS.test(req.url ?? ''),
      // Outgoing calls outside any request (the gateway's readiness checks, OIDC discovery) start no trace.
      requireParentforOutgoingSpans: true,
    }),
    new UndiciInstrumentation({ requireParentforSpans: true }),
    new GraphQLInstrumentation({ ignoreResolveSpans: true, mergeItems: true }),
    new PgInstrumentation({ requireParentSpan: true }),
    new PinoInstrumentation({ disableLogSending: true }),
  ];
}
