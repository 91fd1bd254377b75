// Hive Gateway (the peer of the gateway-overhead scenario) over the same supergraph and the same
// running subgraphs. Our subgraphs answer only callers with an internal token, so this process
// signs one per subgraph for the benchmark's user (as our gateway does, cached the same way) and
// adds it to every subgraph call. It does not verify client tokens: it trusts every request.
// Input: JSON in argv[2]: { port, supergraphSdl, subgraphs: [{ url, audience }], privateKeyFile, caller }.
import { createGatewayRuntime } from '@graphql-hive/gateway';
import * as fs from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const opts = JSON.parse(process.argv[2]);
const auth = require(path.join(root, 'libs/auth/dist/index.js'));
const signer = auth.createInternalTokenSigner(fs.readFileSync(opts.privateKeyFile, 'utf8'));
const tokens = new Map();
async function refresh() {
  for (const s of opts.subgraphs) tokens.set(new URL(s.url).origin, await signer.sign(opts.caller, s.audience));
}
await refresh();
setInterval(refresh, 15_000).unref();

const runtime = createGatewayRuntime({
  supergraph: opts.supergraphSdl,
  logging: false,
  graphiql: false,
  maskedErrors: true,
  plugins: () => [
    {
      onFetch({ url, options, setOptions }) {
        const token = tokens.get(new URL(url).origin);
        if (token) setOptions({ ...options, headers: { ...(options.headers ?? {}), authorization: `Bearer ${token}` } });
      },
    },
  ],
});
const server = createServer(runtime);
server.keepAliveTimeout = 65_000;
server.listen(opts.port, '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
