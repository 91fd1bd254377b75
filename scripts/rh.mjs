#!/usr/bin/env node
// The project CLI, run from the repository root: `npm run -s rh -- <command> [options]`.
// It prints only its result on stdout (JSON, or a bare token) and, on failure, exits
// non-zero with a one-line message on stderr (2 for usage errors, 1 otherwise).
//
// To add a command, add an entry to `commands` below: its name (several words allowed,
// e.g. 'tenant create'), `usage`, `options` (node:util parseArgs options) and
// `run(values)`, which returns the result (a string is printed as is, anything else as
// JSON) or throws (`UsageError` for bad arguments).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SUBGRAPH_SERVICES } from './lib/services.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

class UsageError extends Error {}

/** `${RH_DATA_DIR:-<repo>/.data}` (a relative RH_DATA_DIR is taken from the repository root). */
function dataDir() {
  return resolve(root, process.env.RH_DATA_DIR || '.data');
}

/** Runs `npx tsc -p <project>` from the repository root, its output on stderr. */
function buildProject(project) {
  const result = spawnSync('npx', ['tsc', '-p', project], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.error) throw new Error(`could not build ${project}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`building ${project} failed (see the compiler output above)`);
}

/** @remote-help/auth from its built output, built first if it is not there yet. */
function loadAuth() {
  const entry = join(root, 'libs/auth/dist/index.js');
  if (!existsSync(entry)) buildProject('libs/auth/tsconfig.build.json');
  return require(entry);
}

function required(values, name) {
  const value = values[name];
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function positiveInteger(value, name) {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${name} must be a positive whole number of seconds`);
  }
  return Number(value);
}

/** Runs a command of a service's own CLI (`apps/<service>/dist/cli.js`) against its database. */
function serviceCli(service, databaseEnv, args) {
  const entry = join(root, 'apps', service, 'dist', 'cli.js');
  if (!existsSync(entry)) {
    const r = spawnSync('npx', ['nx', 'run', `@remote-help/${service}:build`, '--output-style=static'], { cwd: root, stdio: ['ignore', 2, 2] });
    if (r.status !== 0) throw new Error(`building ${service} failed (see the output above)`);
  }
  const env = { ...process.env };
  // RH_<SERVICE>_DATABASE_URL, else the service's database on RH_POSTGRES_URL's server, else the service's default.
  const database = SUBGRAPH_SERVICES.find((s) => s.name === service)?.database;
  if (process.env[databaseEnv]) env.DATABASE_URL = process.env[databaseEnv];
  else if (process.env.RH_POSTGRES_URL && database) env.DATABASE_URL = `${process.env.RH_POSTGRES_URL.replace(/\/+$/, '')}/${database}`;
  else delete env.DATABASE_URL;
  const r = spawnSync(process.execPath, ['--disable-warning=TimeoutNegativeWarning', entry, ...args], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(r.stderr.trim().split('\n').pop() || `${service} failed`);
  return JSON.parse(r.stdout);
}

const commands = {
  'tenant create': {
    usage: 'tenant create --name NAME --domain DOMAIN [--cloud COMMERCIAL|GCC|GCC_HIGH|DOD] --admin UPN [--id TENANT_ID]',
    description: 'a new tenant (Remote Help off) and its first administrator; prints {"tenantId", "adminUserId"}; --id sets the tenant id (a UUID, e.g. the Microsoft Entra tenant id, which tokens carry as `tid`)',
    options: {
      name: { type: 'string' },
      domain: { type: 'string' },
      cloud: { type: 'string' },
      admin: { type: 'string' },
      id: { type: 'string' },
    },
    async run(values) {
      const input = {
        name: required(values, 'name'),
        domain: required(values, 'domain'),
        cloud: values.cloud ?? 'COMMERCIAL',
        admin: required(values, 'admin'),
        ...(values.id !== undefined ? { id: required(values, 'id') } : {}),
      };
      if (!['COMMERCIAL', 'GCC', 'GCC_HIGH', 'DOD'].includes(input.cloud)) throw new UsageError(`--cloud must be COMMERCIAL, GCC, GCC_HIGH or DOD, not ${input.cloud}`);
      const created = serviceCli('tenant-service', 'RH_TENANT_DATABASE_URL', ['tenant-create', JSON.stringify(input)]);
      // The first administrator's role, applied to rbac-service's database at once (the same
      // events reach it through Kafka too, idempotently), so that their token works on return.
      if (created.bootstrap) serviceCli('rbac-service', 'RH_RBAC_DATABASE_URL', ['bootstrap-tenant', JSON.stringify(created.bootstrap)]);
      return { tenantId: created.tenantId, adminUserId: created.adminUserId };
    },
  },
  token: {
    usage: 'token --tenant TENANT_ID (--user UPN | --device DEVICE_ID) [--ttl SECONDS]',
    description: 'a bearer token for a user or a dedicated device, signed by the local development issuer',
    options: {
      tenant: { type: 'string' },
      user: { type: 'string' },
      device: { type: 'string' },
      ttl: { type: 'string' },
    },
    async run(values) {
      const tenantId = required(values, 'tenant');
      if ((values.user === undefined) === (values.device === undefined)) {
        throw new UsageError('give exactly one of --user UPN and --device DEVICE_ID');
      }
      const upn = values.user === undefined ? undefined : required(values, 'user');
      const deviceId = values.device === undefined ? undefined : required(values, 'device');
      const ttlSeconds = positiveInteger(values.ttl, 'ttl');
      const auth = loadAuth();
      return auth.signDevToken({
        keysDir: join(dataDir(), 'keys'),
        tenantId,
        upn,
        deviceId,
        ttlSeconds,
        audience: process.env.RH_DEV_AUDIENCE || auth.DEFAULT_AUDIENCE,
        issuer: process.env.RH_DEV_ISSUER || auth.DEV_ISSUER,
      });
    },
  },
};

function usageText() {
  return ['usage: npm run -s rh -- <command>', ...Object.values(commands).map((c) => `  ${c.usage}\n      ${c.description}`)].join('\n');
}

/** The command named by the leading words of argv (longest match first) and the rest. */
function findCommand(argv) {
  for (let words = Math.min(argv.length, 3); words > 0; words--) {
    const name = argv.slice(0, words).join(' ');
    if (Object.hasOwn(commands, name)) return { name, command: commands[name], rest: argv.slice(words) };
  }
  return undefined;
}

async function main(argv) {
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help')) {
    return usageText();
  }
  if (argv.length === 0) throw new UsageError(`no command given; commands: ${Object.keys(commands).join(', ')}`);
  const found = findCommand(argv);
  if (!found) throw new UsageError(`unknown command '${argv[0]}'; commands: ${Object.keys(commands).join(', ')}`);
  let values;
  try {
    ({ values } = parseArgs({ args: found.rest, options: found.command.options, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError(`${err.message} (usage: ${found.command.usage})`);
  }
  try {
    return await found.command.run(values);
  } catch (err) {
    if (err instanceof UsageError) err.message = `${err.message} (usage: ${found.command.usage})`;
    throw err;
  }
}

function oneLine(text) {
  return String(text)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

main(process.argv.slice(2)).then(
  (result) => {
    process.stdout.write(`${typeof result === 'string' ? result : JSON.stringify(result)}\n`);
  },
  (err) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`rh: ${oneLine(message) || 'failed'}\n`);
    if (process.env.RH_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);
