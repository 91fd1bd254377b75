import { TracingConfigError, tracingPlan } from './tracing-config';

describe('tracingPlan', () => {
  it('is off when nothing says where to send spans (the default)', () => {
    expect(tracingPlan({})).toEqual({ on: false });
    expect(tracingPlan({ OTEL_EXPORTER_OTLP_ENDPOINT: '   ' })).toEqual({ on: false });
    expect(tracingPlan({ OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://z:9411/api/v2/spans' })).toEqual({ on: false });
  });

  it('sends OTLP to OTEL_EXPORTER_OTLP_ENDPOINT, or to the traces endpoint when that is set', () => {
    expect(tracingPlan({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({ on: true, exporters: ['otlp'], endpoints: { otlp: 'http://collector:4318' } });
    expect(tracingPlan({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://c/v1/traces', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://other:4318' })).toEqual({
      on: true,
      exporters: ['otlp'],
      endpoints: { otlp: 'https://c/v1/traces' },
    });
    expect(tracingPlan({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toMatchObject({ on: true, exporters: ['otlp'] });
  });

  it('sends to Zipkin when OTEL_TRACES_EXPORTER says so, and to both when it names both', () => {
    expect(tracingPlan({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://z:9411/api/v2/spans' })).toEqual({
      on: true,
      exporters: ['zipkin'],
      endpoints: { zipkin: 'http://z:9411/api/v2/spans' },
    });
    expect(tracingPlan({ OTEL_TRACES_EXPORTER: ' Zipkin , otlp,zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://z/api/v2/spans', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toEqual({
      on: true,
      exporters: ['zipkin', 'otlp'],
      endpoints: { zipkin: 'http://z/api/v2/spans', otlp: 'http://c:4318' },
    });
  });

  it('is off with OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none, whatever the endpoints', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracingPlan({ ...endpoint, OTEL_SDK_DISABLED: 'TRUE' })).toEqual({ on: false });
    expect(tracingPlan({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toEqual({ on: false });
    expect(tracingPlan({ ...endpoint, OTEL_SDK_DISABLED: 'false' })).toMatchObject({ on: true });
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, /^OTEL_EXPORTER_OTLP_ENDPOINT: must be an http/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }, /^OTEL_EXPORTER_OTLP_ENDPOINT: not a URL/],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://c/v1/traces' }, /^OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be an http/],
    [{ OTEL_TRACES_EXPORTER: 'otlp' }, /^OTEL_EXPORTER_OTLP_ENDPOINT: required when OTEL_TRACES_EXPORTER names otlp/],
    [{ OTEL_TRACES_EXPORTER: 'zipkin' }, /^OTEL_EXPORTER_ZIPKIN_ENDPOINT: required/],
    [{ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'zipkin:9411' }, /^OTEL_EXPORTER_ZIPKIN_ENDPOINT: must be an http/],
    [{ OTEL_TRACES_EXPORTER: 'jaeger', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c' }, /^OTEL_TRACES_EXPORTER: unknown exporter "jaeger"/],
    [{ OTEL_TRACES_EXPORTER: 'console' }, /^OTEL_TRACES_EXPORTER: unknown exporter "console"/],
    [{ OTEL_TRACES_EXPORTER: 'none,otlp' }, /^OTEL_TRACES_EXPORTER: "none" cannot be combined/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_EXPORTER_OTLP_PROTOCOL: 'http' }, /^OTEL_EXPORTER_OTLP_PROTOCOL: unknown protocol "http"/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'udp' }, /^OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: unknown protocol/],
    [{ OTEL_SDK_DISABLED: 'yes' }, /^OTEL_SDK_DISABLED: must be true or false/],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => tracingPlan(env)).toThrow(TracingConfigError);
    expect(() => tracingPlan(env)).toThrow(message);
  });
});
