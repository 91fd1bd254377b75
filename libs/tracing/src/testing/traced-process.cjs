// A process as the services start: tracing first (the built @remote-help/tracing, from the
// environment), then an HTTP server that logs with pino, asked once through fetch with the
// caller's `traceparent` (argv[2]). Prints one JSON line: whether tracing started, whether the
// SDK was loaded, whether http was patched. Used by tracing.int-spec.ts.
const { startTracing, stopTracing } = require('@remote-help/tracing');
const on = startTracing('tracing-test');
const http = require('node:http');
const pino = require('pino');

const log = pino({ name: 'tracing-test' });
const server = http.createServer((req, res) => {
  log.info({ url: req.url }, 'served');
  res.end('ok');
});
server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  await (await fetch(`http://127.0.0.1:${port}/work`, { headers: { traceparent: process.argv[2] } })).text();
  server.close();
  await stopTracing();
  const sdkLoaded = Object.keys(require.cache).some((f) => f.includes(`${require('node:path').sep}@opentelemetry${require('node:path').sep}sdk-node${require('node:path').sep}`));
  process.stdout.write(`${JSON.stringify({ result: { on, sdkLoaded, httpPatched: '__wrapped' in http.Server.prototype.emit } })}\n`);
});
