// The URLs of the databases that `npm start`, the end-to-end tests and the benchmark give the
// services. When the PostgreSQL at 127.0.0.1:5432 also listens on a Unix socket on this machine,
// the URL names that socket (`?host=<dir>`: node-postgres connects there, and the URL keeps the
// TCP form for everything that reads it): a round trip through the socket costs the client about
// half the CPU of one over TCP on loopback (measured: 74 vs 148 µs per query), and every
// statement of a session pays it. RH_POSTGRES_SOCKET_DIR picks the socket's directory; set it
// to an empty value to use TCP.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { ROOT } from './bootstrap.mjs';
import { postgresServerUrl } from './postgres-server.mjs';

const require = createRequire(path.join(ROOT, 'package.json'));
const CANDIDATE_DIRS = ['/var/run/postgresql', '/run/postgresql', '/tmp'];

let found;

/** The directory of the socket of the same server as the TCP one (postgresServerUrl), or '' (none, another server, or not on this machine). */
export function localPostgresSocketDir() {
  found ??= (async () => {
    const TCP_URL = postgresServerUrl();
    const { hostname, port } = new URL(TCP_URL);
    if (hostname !== '127.0.0.1' && hostname !== 'localhost') return '';
    const configured = process.env.RH_POSTGRES_SOCKET_DIR;
    const dirs = configured !== undefined ? [configured].filter(Boolean) : CANDIDATE_DIRS;
    const dir = dirs.find((d) => fs.existsSync(path.join(d, `.s.PGSQL.${port || 5432}`)));
    if (!dir) return '';
    // The socket may belong to another server than the one on the port (e.g. a container
    // published on 5432): use it only when both are the same cluster.
    const id = async (connectionString) => {
      const { Client } = require('pg');
      const c = new Client({ connectionString, connectionTimeoutMillis: 2000 });
      try {
        await c.connect();
        return (await c.query('SELECT system_identifier::text AS id FROM pg_control_system()')).rows[0].id;
      } finally {
        await c.end().catch(() => undefined);
      }
    };
    try {
      const [viaTcp, viaSocket] = await Promise.all([id(`${TCP_URL}/postgres`), id(`${TCP_URL}/postgres?host=${dir}`)]);
      return viaTcp === viaSocket ? dir : '';
    } catch {
      return '';
    }
  })();
  return found;
}

/** The URL of a database on the server (postgresServerUrl), through its socket when it has one here. */
export async function localDatabaseUrl(database) {
  const dir = await localPostgresSocketDir();
  return `${postgresServerUrl()}/${database}${dir ? `?host=${dir}` : ''}`;
}
