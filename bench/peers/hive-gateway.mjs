// Hive Gateway (the peer of the gateway-overhead scenario) over the same supergraph and the same
// running subgraphs. Our subgraphs answer only callers with an internal token, so this process
// signs one per subgraph for the request's caller (as our gateway does, kept 15 s) and sends it
// with every subgraph call. It does not verify client tokens: it trusts every request, and takes
// the caller from `callersFile` (a JSON map of "Bearer <token>" to caller) by the request's
// authorization header, or `caller` for a request without one.
//
// The token goes through Hive's header propagation (`propagateHeaders.fromClientToSubgraphs`), not
// an `onFetch` hook: Hive shares identical subgraph fetches in flight (by default) by URL and body,
// and by headers only when they come from the transport's options or the propagation; a header
// added in `onFetch` comes after that choice, so one caller's answer went to other callers of the
// tenant (the gateway under test shares a fetch only among requests with the same token).
// Input: JSON in argv[2]: { port, supergraphSdl, subgraphs: [{ url, audience }], privateKeyFile, caller, callersFile? }.
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
const callers = opts.callersFile ? new Map(Object.entries(JSON.parse(fs.readFileSync(opts.callersFile, 'utf8')))) : new Map();
const audienceByOrigin = new Map(opts.subgraphs.map((s) => [new URL(s.url).origin, s.audience]));
/** The audience of each subgraph of the supergraph, by its name there (`@join__graph(name: ..., url: ...)`). */
const audiences = new Map([...opts.supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]+)"\)/g)].map(([, name, url]) => [name, audienceByOrigin.get(new URL(url).origin)]));
/** Internal tokens by caller and audience: { token, at } (a promise while being signed). */
const tokens = new Map();
function internalToken(authorization, subgraphName) {
  const audience = audiences.get(subgraphName);
  if (!audience) return Promise.reject(new Error(`no audience for subgraph ${subgraphName}`));
  const key = `${authorization ?? ''} ${audience}`;
  let entry = tokens.get(key);
  if (!entry || Date.now() - entry.at > 15_000) {
    const caller = authorization ? callers.get(authorization) : opts.caller;
    if (!caller) return Promise.reject(new Error('unknown caller'));
    entry = { at: Date.now(), token: signer.sign(caller, audience) };
    tokens.set(key, entry);
  }
  return entry.token;
}

const runtime = createGatewayRuntime({
  supergraph: opts.supergraphSdl,
  logging: false,
  graphiql: false,
  maskedErrors: true,
  propagateHeaders: {
    fromClientToSubgraphs: async ({ request, subgraphName }) => ({ authorization: `Bearer ${await internalToken(request.headers.get('authorization') ?? undefined, subgraphName)}` }),
  },
});
const server = createServer(runtime);
server.keepAliveTimeout = 65_000;
server.listen(opts.port, '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
