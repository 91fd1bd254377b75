/**
 * Whether a process traces, read from the standard OpenTelemetry variables (the same ones the
 * SDK itself reads): on only when there is somewhere to send the spans.
 *
 * - `OTEL_SDK_DISABLED=true`, or `OTEL_TRACES_EXPORTER=none`: off.
 * - `OTEL_TRACES_EXPORTER` unset (or `otlp`): OTLP to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, else
 *   `OTEL_EXPORTER_OTLP_ENDPOINT` (the SDK adds `/v1/traces` to the latter); with neither set,
 *   off (the default: no SDK is loaded at all).
 * - `OTEL_TRACES_EXPORTER=zipkin`: Zipkin's v2 JSON API at `OTEL_EXPORTER_ZIPKIN_ENDPOINT`.
 * - Protocol (`OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`):
 *   `http/protobuf` (default), `http/json` or `grpc`.
 *
 * A value that cannot work (an exporter asked for without its endpoint, an endpoint that is not
 * an http(s) URL, an unknown exporter or protocol) is a configuration error: the process stops
 * at start-up with one line naming the variable, as for every other variable.
 */
export type TracingPlan = { on: false } | { on: true; exporters: TraceExporterName[]; endpoints: Partial<Record<TraceExporterName, string>> };

export type TraceExporterName = 'otlp' | 'zipkin';

const EXPORTERS: readonly TraceExporterName[] = ['otlp', 'zipkin'];
const PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'];

/** A variable whose value cannot work; `message` is `VARIABLE: problem`. */
export class TracingConfigError extends Error {
  override readonly name = 'TracingConfigError';
}

type Env = Record<string, string | undefined>;

function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function checkUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TracingConfigError(`${name}: not a URL: "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TracingConfigError(`${name}: must be an http:// or https:// URL, got "${raw}"`);
  return raw;
}

/** Reads the plan from `env`; throws TracingConfigError for a value that cannot work. */
export function tracingPlan(env: Env): TracingPlan {
  const disabled = value(env, 'OTEL_SDK_DISABLED');
  if (disabled !== undefined && !['true', 'false'].includes(disabled.toLowerCase())) throw new TracingConfigError(`OTEL_SDK_DISABLED: must be true or false, got "${disabled}"`);
  if (disabled?.toLowerCase() === 'true') return { on: false };

  const listed = value(env, 'OTEL_TRACES_EXPORTER');
  const names = listed
    ? [
        ...new Set(
          listed
            .split(',')
            .map((s) => s.trim().toLowerCase())
            .filter(Boolean),
        ),
      ]
    : [];
  if (names.includes('none')) {
    if (names.length > 1) throw new TracingConfigError(`OTEL_TRACES_EXPORTER: "none" cannot be combined with other exporters, got "${listed}"`);
    return { on: false };
  }
  for (const n of names) {
    if (!EXPORTERS.includes(n as TraceExporterName)) throw new TracingConfigError(`OTEL_TRACES_EXPORTER: unknown exporter "${n}" (otlp, zipkin or none)`);
  }

  const otlpEndpoint = value(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const otlpVariable = value(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  // Unset: OTLP if an endpoint says where to, else off.
  const exporters = (names.length ? names : otlpEndpoint ? ['otlp'] : []) as TraceExporterName[];
  if (exporters.length === 0) return { on: false };

  const endpoints: Partial<Record<TraceExporterName, string>> = {};
  if (exporters.includes('otlp')) {
    if (!otlpEndpoint) throw new TracingConfigError('OTEL_EXPORTER_OTLP_ENDPOINT: required when OTEL_TRACES_EXPORTER names otlp (or set OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)');
    endpoints.otlp = checkUrl(otlpVariable, otlpEndpoint);
    const protocolVariable = value(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
    const protocol = value(env, protocolVariable);
    if (protocol !== undefined && !PROTOCOLS.includes(protocol)) throw new TracingConfigError(`${protocolVariable}: unknown protocol "${protocol}" (${PROTOCOLS.join(', ')})`);
  }
  if (exporters.includes('zipkin')) {
    const zipkin = value(env, 'OTEL_EXPORTER_ZIPKIN_ENDPOINT');
    if (!zipkin) throw new TracingConfigError('OTEL_EXPORTER_ZIPKIN_ENDPOINT: required when OTEL_TRACES_EXPORTER names zipkin (e.g. http://zipkin:9411/api/v2/spans)');
    endpoints.zipkin = checkUrl('OTEL_EXPORTER_ZIPKIN_ENDPOINT', zipkin);
  }
  return { on: true, exporters, endpoints };
}
