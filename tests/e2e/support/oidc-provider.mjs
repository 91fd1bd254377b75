// A real OpenID Connect provider (panva's `oidc-provider`) for the sign-in tests, run as its own
// process because the package is ESM-only (the tests are compiled to CommonJS).
//   node tests/e2e/support/oidc-provider.mjs <port> [--discovery-down]
// prints `ready <issuer>` once it listens on 127.0.0.1:<port>. It issues access tokens the
// ordinary way: the client credentials grant with a resource indicator, as JWTs (RS256) whose
// audience is the resource; each client carries the directory claims of the identity it stands
// for (`tid`, `preferred_username`, `oid`, ...), which `extraTokenClaims` adds to its tokens.
// It also signs people in the browser (the admin console's tests): the Authorization Code flow
// with PKCE for public clients, through oidc-provider's own development login and consent pages
// (any password); an account's access tokens carry the directory claims registered for its login.
// Test controls, under /_test/:
//   POST /_test/clients {client_id, client_secret, claims, ttl?}  registers a client (client credentials)
//   POST /_test/clients {client_id, redirect_uris, post_logout_redirect_uris?, ttl?}
//                                                                   registers a public client (no secret:
//                                                                   authorization code + PKCE, refresh tokens)
//   POST /_test/accounts {login, claims}                            an account that signs in with that login
//   POST /_test/rotate                                              signs with a new key from now on (the old one stays published)
//   GET  /_test/stats                                               {jwksFetches, discoveryFetches, kids}
//   POST /_test/discovery {up}                                      discovery answers 503 while up is false (from the start with --discovery-down)
import Provider from 'oidc-provider';
import { exportJWK, generateKeyPair } from 'jose';
import * as http from 'node:http';

const port = Number(process.argv[2] ?? 0);
const clients = new Map();
const accounts = new Map();
const keys = [];
const stats = { jwksFetches: 0, discoveryFetches: 0 };
let discoveryUp = !process.argv.includes('--discovery-down');
let issuer;
let provider;

async function newKey() {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: `key-${keys.length + 1}-${Date.now().toString(36)}`, alg: 'RS256', use: 'sig' };
}

function build() {
  provider = new Provider(issuer, {
    clients: [...clients.values()].map(({ client_id, client_secret, claims, ttl, redirect_uris, post_logout_redirect_uris }) =>
      redirect_uris
        ? {
            client_id,
            application_type: 'web',
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            redirect_uris,
            post_logout_redirect_uris: post_logout_redirect_uris ?? [],
            token_endpoint_auth_method: 'none',
            access_token_ttl: ttl,
          }
        : {
            client_id,
            client_secret,
            grant_types: ['client_credentials'],
            response_types: [],
            redirect_uris: [],
            token_endpoint_auth_method: 'client_secret_basic',
            directory_claims: claims,
            access_token_ttl: ttl,
          },
    ),
    // The newest key first: it signs; the older ones stay published for tokens already issued.
    jwks: { keys: [...keys].reverse() },
    // offline_access: the refresh tokens of the public clients (and their refresh_token grant).
    scopes: ['openid', 'offline_access', 'api'],
    extraClientMetadata: { properties: ['directory_claims', 'access_token_ttl'] },
    // A refresh token to every client allowed the grant, as Microsoft Entra ID gives single-page
    // applications one (oidc-provider's default honours offline_access only with prompt=consent).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // The account is the login typed on the development login page.
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => 'remote-help',
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource, client) => ({
          scope: 'api',
          audience: resource,
          accessTokenTTL: client.access_token_ttl ?? 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: async (ctx, token) => {
      if (token.accountId) return accounts.get(token.accountId) ?? {};
      const client = await ctx.oidc.provider.Client.find(token.clientId);
      return client?.directory_claims ?? {};
    },
  });
  provider.proxy = false;
}

async function readJson(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body ? JSON.parse(body) : {};
}

const server = http.createServer(async (req, res) => {
  try {
    const path = new URL(req.url, issuer).pathname;
    if (path.startsWith('/_test/')) {
      const send = (status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method === 'POST' && path === '/_test/clients') {
        const c = await readJson(req);
        clients.set(c.client_id, c);
        build();
        return send(201, { client_id: c.client_id });
      }
      if (req.method === 'POST' && path === '/_test/accounts') {
        const a = await readJson(req);
        accounts.set(a.login, a.claims);
        return send(201, { login: a.login });
      }
      if (req.method === 'POST' && path === '/_test/rotate') {
        keys.push(await newKey());
        build();
        return send(200, { kid: keys.at(-1).kid });
      }
      if (req.method === 'POST' && path === '/_test/discovery') {
        discoveryUp = (await readJson(req)).up === true;
        return send(200, { up: discoveryUp });
      }
      if (req.method === 'GET' && path === '/_test/stats') return send(200, { ...stats, kids: keys.map((k) => k.kid) });
      return send(404, { error: 'no such control' });
    }
    if (path === '/jwks') stats.jwksFetches += 1;
    if (path === '/.well-known/openid-configuration') {
      stats.discoveryFetches += 1;
      if (!discoveryUp) return res.writeHead(503, { 'content-type': 'text/plain' }).end('discovery is down (test control)');
    }
    provider.callback()(req, res);
  } catch (e) {
    res.writeHead(500).end(String(e?.message ?? e));
  }
});

keys.push(await newKey());
server.listen(port, '127.0.0.1', () => {
  issuer = `http://127.0.0.1:${server.address().port}`;
  build();
  process.stdout.write(`ready ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
