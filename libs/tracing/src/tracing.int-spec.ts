import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

/**
 * startTracing in a real process (the built library, as the services load it), with an OTLP
 * receiver of the test's own: spans go over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, continue
 * the caller's `traceparent`, and the pino lines written in a span carry its trace id. Without
 * an endpoint no SDK is loaded and nothing is patched; a bad endpoint stops the process.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const CHILD = path.join(__dirname, 'testing', 'traced-process.cjs');

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
}

function runChild(env: Record<string, string>, traceparent: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const otel = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
    const child = spawn(process.execPath, [CHILD, traceparent], { cwd: ROOT, env: { ...otel, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const resultOf = (stdout: string) => JSON.parse(stdout.split('\n').find((l) => l.includes('"result"'))!).result;

describe('startTracing (a real process)', () => {
  let receiver: http.Server;
  let endpoint: string;
  const received: { path: string; body: any }[] = [];

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(body || 'null') });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((r) => receiver.close(r));
  });

  it("sends spans over OTLP to OTEL_EXPORTER_OTLP_ENDPOINT, continuing the caller's trace, and puts the trace id on log lines", async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const r = await runChild({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '50' }, `00-${traceId}-${callerSpan}-01`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(resultOf(r.stdout)).toEqual({ on: true, sdkLoaded: true, httpPatched: true });

    const exports = received.filter((x) => x.path === '/v1/traces');
    expect(exports.length).toBeGreaterThan(0);
    const resourceSpans = exports.flatMap((x) => x.body.resourceSpans);
    const serviceNames = resourceSpans.map((rs: any) => rs.resource.attributes.find((a: any) => a.key === 'service.name')?.value.stringValue);
    expect(new Set(serviceNames)).toEqual(new Set(['tracing-test']));
    const spans: OtlpSpan[] = resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans));
    // The server's span (SERVER, kind 2) continues the caller's trace, below the caller's span.
    // (The fetch itself, made outside any span, starts none: outgoing calls need a parent.)
    expect(spans).toHaveLength(1);
    const server = spans.find((s) => s.kind === 2);
    expect(server).toMatchObject({ traceId, parentSpanId: callerSpan, name: 'GET' });

    const line = JSON.parse(r.stdout.split('\n').find((l) => l.includes('"msg":"served"'))!);
    expect(line).toMatchObject({ trace_id: traceId, span_id: server!.spanId, trace_flags: '01' });
  });

  it('loads no SDK and patches nothing when no endpoint is set (the default)', async () => {
    received.length = 0;
    const traceId = randomBytes(16).toString('hex');
    const r = await runChild({}, `00-${traceId}-${randomBytes(8).toString('hex')}-01`);
    expect(r.code).toBe(0);
    expect(resultOf(r.stdout)).toEqual({ on: false, sdkLoaded: false, httpPatched: false });
    expect(r.stdout).not.toContain(traceId);
    expect(received).toEqual([]);
  });

  it('stops the process with one line naming the variable when an endpoint cannot work', async () => {
    const r = await runChild({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('tracing-test: configuration error: OTEL_EXPORTER_OTLP_ENDPOINT: must be an http:// or https:// URL, got "collector:4318"\n');
  });
});
