// A GraphQL client for the load workers: POSTs over keep-alive node:http connections (less
// work per request than fetch, so that the load generator stays light) and resolves with
// `data`, or rejects on a non-200 answer or any GraphQL error.
import * as http from 'node:http';

/**
 * @returns {((query: string, variables: object, token: string) => Promise<object>) & { close(): void }}
 *   `close()` ends the kept-alive connections.
 */
export function graphqlPoster(gatewayUrl, maxSockets) {
  const url = new URL(gatewayUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  post.close = () => agent.destroy();
  return post;
  function post(query, variables, token) {
    const body = JSON.stringify({ query, variables });
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } },
        (res) => {
          const parts = [];
          res.on('data', (c) => parts.push(c));
          res.on('end', () => {
            try {
              const json = JSON.parse(Buffer.concat(parts).toString('utf8'));
              if (res.statusCode !== 200 || json.errors?.length || !json.data) reject(new Error(`${res.statusCode} ${JSON.stringify(json.errors ?? json).slice(0, 300)}`));
              else resolve(json.data);
            } catch (e) {
              reject(e);
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
