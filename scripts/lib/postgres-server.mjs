// The PostgreSQL server that `npm start`, `npm test` and the benchmark use:
// - RH_POSTGRES_URL when it is set (it must answer);
// - else the server on 127.0.0.1:5432 when one answers there;
// - else an embedded PostgreSQL (the `embedded-postgres` package and its Linux binaries) started
//   in its place on 127.0.0.1:5432, with its data in .data/postgres, so that every default
//   database URL of the services and the CLI works unchanged. PostgreSQL refuses to run as
//   root: as root, it runs as the `postgres` user (created when missing).
// RH_POSTGRES_EMBEDDED=1 starts an embedded one on a free port even when 5432 answers (a fresh
// data folder, removed at stop), and sets RH_POSTGRES_URL for everything started afterwards:
// `npm test`'s e2e-embedded-postgres part runs the e2e suite that way.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fail, isReachable, log, ROOT } from './bootstrap.mjs';

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432';

/** The server URL (no database) that the scripts and the processes they start use. */
export function postgresServerUrl() {
  return (process.env.RH_POSTGRES_URL || DEFAULT_POSTGRES_URL).replace(/\/+$/, '');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Every folder from `dir` up may be entered by other users (the `postgres` user must reach its data). */
function othersCanReach(dir) {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(d) && (fs.statSync(d).mode & 0o001) === 0) return false;
    if (path.dirname(d) === d) return true;
  }
}

/**
 * Starts an embedded PostgreSQL on `port` with trust authentication for local connections
 * (like the development servers this project is tested against). Resolves with its URL and stop().
 */
export async function startEmbeddedPostgres({ port, dataDir, persistent }) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const asRoot = os.userInfo().uid === 0;
  let dir = dataDir;
  if (asRoot && !othersCanReach(path.dirname(dir))) {
    // The repository sits where the postgres user cannot enter (e.g. under /root).
    dir = path.join(os.tmpdir(), `remote-help-postgres-${Buffer.from(ROOT).toString('base64url').slice(-16)}-${path.basename(dataDir)}`);
  }
  const lines = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent,
    createPostgresUser: asRoot,
    // The last --auth wins: trust for local connections, as the URLs here carry no password.
    initdbFlags: ['--auth=trust', '--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${os.tmpdir()}`],
    onLog: (m) => lines.push(String(m)),
    onError: (e) => lines.push(String(e)),
  });
  try {
    if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (e) {
    throw new Error(`the embedded PostgreSQL did not start (data ${dir}): ${e.message}\n${lines.slice(-20).join('')}`, { cause: e });
  }
  return { url: `postgres://postgres@127.0.0.1:${port}`, dataDir: dir, stop: () => pg.stop() };
}

/**
 * Makes sure a PostgreSQL answers (see the top of this file) and sets RH_POSTGRES_URL for what is
 * started afterwards when it is not the default. Resolves { url, embedded, stop }; stop() stops
 * only an embedded server started here.
 */
export async function ensurePostgresServer() {
  const noop = async () => undefined;
  const forced = process.env.RH_POSTGRES_EMBEDDED === '1';
  if (!forced) {
    const url = postgresServerUrl();
    const u = new URL(url);
    if (await isReachable(u.hostname, Number(u.port || 5432))) return { url, embedded: false, stop: noop };
    if (process.env.RH_POSTGRES_URL) {
      throw new Error(`PostgreSQL does not answer at RH_POSTGRES_URL (${u.hostname}:${u.port || 5432}): start it, or unset RH_POSTGRES_URL to use an embedded one.`);
    }
  }
  const port = forced ? await freePort() : 5432;
  const dataDir = path.join(ROOT, '.data', forced ? `postgres-embedded-${port}` : 'postgres');
  log(forced ? `starting an embedded PostgreSQL on 127.0.0.1:${port} (RH_POSTGRES_EMBEDDED=1)...` : 'nothing answers on 127.0.0.1:5432: starting an embedded PostgreSQL there (data in .data/postgres)...');
  const server = await startEmbeddedPostgres({ port, dataDir, persistent: !forced });
  if (forced) process.env.RH_POSTGRES_URL = server.url;
  log(`embedded PostgreSQL ready on ${server.url} (data ${server.dataDir})`);
  return { url: server.url, embedded: true, dataDir: server.dataDir, stop: server.stop };
}

/**
 * A PostgreSQL to use, for the scripts (`npm start`, `npm test`, the benchmark): ensurePostgresServer,
 * stopping with its message when none can be had. Call after ensureToolchain (the embedded server
 * is a dependency).
 */
export async function ensurePostgres() {
  try {
    return await ensurePostgresServer();
  } catch (e) {
    fail(e.message);
  }
}
