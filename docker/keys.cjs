// The `keys` one-shot of docker-compose.yml: creates the keys once (later runs
// load and keep them) and puts each process's keys in its own volume.
//
//   GATEWAY_KEYS_DIR (default /data/keys), the `gateway-keys` volume; only the
//   gateway mounts it (read-only):
//     internal.private.pem, internal.public.pem       the gateway's internal-token key pair (ES256)
//     dev-issuer.private.jwk.json, dev-issuer.jwks.json  the development issuer's key pair
//   SERVICE_KEYS_DIR (default /data/service-keys), the `service-keys` volume;
//   only the four subgraph services mount it (read-only):
//     internal.public.pem                             a copy of the gateway's public key
//     service.private.pem, service.public.pem         the service-to-service key pair (ES256)
//
// Run from the image's working directory: node docker/keys.cjs
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ensureInternalKeys, ensureDevIssuerKeys } = require('@remote-help/auth');

const gatewayDir = process.env.GATEWAY_KEYS_DIR || '/data/keys';
const servicesDir = process.env.SERVICE_KEYS_DIR || '/data/service-keys';

/** Writes `content` to `file` (temp file, then rename) unless it already holds exactly that. */
function publish(file, content, mode) {
  let current;
  try {
    current = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  if (current === content) return false;
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
  return true;
}

/** A folder for private keys: created if missing, readable by its owner only. */
function privateDir(dir) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

async function main() {
  privateDir(gatewayDir);
  privateDir(servicesDir);
  const { publicKeyPem } = await ensureInternalKeys(gatewayDir);
  const { jwks } = await ensureDevIssuerKeys(gatewayDir);
  await ensureInternalKeys(servicesDir, 'service');
  const changed = publish(path.join(servicesDir, 'internal.public.pem'), publicKeyPem, 0o644);
  process.stdout.write(
    `keys: gateway keys (internal signing key, development issuer kid ${jwks.keys[0].kid}) in ${gatewayDir}; ` +
      `service-to-service key pair and the gateway's public key (${changed ? 'written' : 'unchanged'}) in ${servicesDir}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`keys: ${err && err.message ? err.message : err}\n`);
  process.exit(1);
});
