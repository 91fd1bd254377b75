// The `keys` one-shot of docker-compose.yml: creates the keys once (later runs
// load and keep them) and publishes the one public key the subgraphs need.
//
//   KEYS_DIR (default /data/keys), the `gateway-keys` volume, only the gateway
//   mounts it (read-only):
//     internal.private.pem, internal.public.pem   the gateway's internal-token key pair (ES256)
//     dev-issuer.private.jwk.json, dev-issuer.jwks.json   the development issuer's key pair
//   PUBLIC_KEY_DIR (default /data/internal-public), the `internal-public-key`
//   volume, the subgraph services mount it (read-only):
//     internal.public.pem                          a copy of the gateway's public key
//
// Run from the image's working directory: node docker/keys.cjs
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ensureInternalKeys, ensureDevIssuerKeys } = require('@remote-help/auth');

const keysDir = process.env.KEYS_DIR || '/data/keys';
const publicDir = process.env.PUBLIC_KEY_DIR || '/data/internal-public';

/** Writes `content` to `file` (temp file, then rename) unless it already holds exactly that. */
function publish(file, content, mode) {
  let current;
  try {
    current = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  if (current === content) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
  return true;
}

async function main() {
  fs.mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(keysDir, 0o700);
  const { publicKeyPem } = await ensureInternalKeys(keysDir);
  const { jwks } = await ensureDevIssuerKeys(keysDir);
  const target = path.join(publicDir, 'internal.public.pem');
  const changed = publish(target, publicKeyPem, 0o644);
  process.stdout.write(
    `keys: internal signing key and development issuer key (kid ${jwks.keys[0].kid}) in ${keysDir}; ` +
      `public key ${changed ? 'written to' : 'unchanged in'} ${target}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`keys: ${err && err.message ? err.message : err}\n`);
  process.exit(1);
});
