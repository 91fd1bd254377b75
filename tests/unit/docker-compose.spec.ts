import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * docker-compose.yml, Dockerfile and .dockerignore: the compose file is valid for the Compose
 * CLI found here (`docker compose`, else the v1.29 `docker-compose` of Debian), and the
 * resolved configuration has the services, health checks, dependencies and key volumes the
 * system needs. No Docker engine is needed: only `config` is run, nothing is built or started.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');

const SUBGRAPHS = [
  { name: 'tenant-service', port: 4001, database: 'remote_help_tenant' },
  { name: 'rbac-service', port: 4002, database: 'remote_help_rbac' },
  { name: 'session-service', port: 4003, database: 'remote_help_session' },
  { name: 'reporting-service', port: 4004, database: 'remote_help_reporting' },
];
const APP_SERVICES = [...SUBGRAPHS.map((s) => s.name), 'gateway'];
const PORTS: Record<string, number> = { ...Object.fromEntries(SUBGRAPHS.map((s) => [s.name, s.port])), gateway: 4000 };

/** Variables the compose file interpolates, removed so that the defaults are checked. */
const INTERPOLATED = ['POSTGRES_PASSWORD', 'GATEWAY_PORT', 'KAFKA_HOST_PORT', 'DEV_ISSUER_ENABLED', 'LOG_LEVEL', 'KAFKA_TOPIC_PREFIX'];

type Json = null | string | number | boolean | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

interface ComposeCli {
  command: string;
  args: string[];
  /** Compose v2 prints JSON; the v1 `docker-compose` only its normalized YAML. */
  json: boolean;
}

function run(command: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [...INTERPOLATED, 'COMPOSE_FILE', 'COMPOSE_PROFILES', 'COMPOSE_PROJECT_NAME']) delete env[name];
  return spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
}

function findComposeCli(): ComposeCli | undefined {
  if (run('docker', ['compose', 'version']).status === 0) return { command: 'docker', args: ['compose'], json: true };
  if (run('docker-compose', ['version']).status === 0) return { command: 'docker-compose', args: [], json: false };
  return undefined;
}

function compose(cli: ComposeCli, args: string[]) {
  return run(cli.command, [...cli.args, '-f', COMPOSE_FILE, ...args]);
}

/**
 * Reads the block YAML that `docker-compose config` (v1, PyYAML) prints: nested mappings,
 * sequences (at their key's indentation or deeper), plain, quoted and wrapped scalars, `{}`
 * and `[]`. Scalars stay strings. Not a general YAML parser.
 */
function parseNormalizedYaml(text: string): Json {
  type Line = { indent: number; text: string };
  const raw: Line[] = text
    .split('\n')
    .filter((l) => l.trim() !== '' && !/^\s*#/.test(l) && l.trim() !== '---')
    .map((l) => ({ indent: l.length - l.trimStart().length, text: l.trim() }));

  const keyValue = (t: string): [string, string] | undefined => {
    const m = /^('(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[^'"\s][^]*?)\s*:(?:\s+(.*))?$/.exec(t);
    if (!m || (!m[1].startsWith("'") && !m[1].startsWith('"') && m[1].includes(': '))) return undefined;
    return [String(scalar(m[1])), m[2] ?? ''];
  };

  // Join the continuation lines of wrapped scalars: after an inline scalar, a deeper line
  // cannot start a new node.
  const lines: Line[] = [];
  let scalarColumn = -1; // column a continuation line must exceed, or -1
  for (const line of raw) {
    const prev = lines[lines.length - 1];
    if (prev && scalarColumn >= 0 && line.indent > scalarColumn) {
      prev.text = prev.text.endsWith('\\') ? prev.text.slice(0, -1) + line.text : `${prev.text} ${line.text}`;
      continue;
    }
    lines.push({ ...line });
    let column = line.indent;
    let rest = line.text;
    while (rest.startsWith('- ')) {
      column += 2;
      rest = rest.slice(2);
    }
    const kv = keyValue(rest);
    scalarColumn = kv ? (kv[1] !== '' ? column : -1) : rest !== '-' ? line.indent : -1;
  }

  function scalar(v: string): Json {
    if (v === '{}') return {};
    if (v === '[]') return [];
    if (v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
    if (v.startsWith('"') && v.endsWith('"')) {
      try {
        return JSON.parse(v) as string;
      } catch {
        return v.slice(1, -1);
      }
    }
    return v;
  }

  let i = 0;
  function node(indent: number): Json {
    const line = lines[i];
    if (!line || line.indent < indent) return null;
    return line.text === '-' || line.text.startsWith('- ') ? sequence(line.indent) : mapping(line.indent);
  }
  function sequence(indent: number): Json[] {
    const out: Json[] = [];
    while (i < lines.length && lines[i].indent === indent && (lines[i].text === '-' || lines[i].text.startsWith('- '))) {
      const rest = lines[i].text.slice(1).trimStart();
      if (rest === '') {
        i++;
        out.push(node(indent + 1));
      } else if (rest.startsWith('- ') || keyValue(rest)) {
        lines[i] = { indent: indent + 2, text: rest }; // "- key: v" opens a mapping one level in
        out.push(node(indent + 2));
      } else {
        i++;
        out.push(scalar(rest));
      }
    }
    return out;
  }
  function mapping(indent: number): Obj {
    const out: Obj = {};
    while (i < lines.length && lines[i].indent === indent && !lines[i].text.startsWith('- ')) {
      const kv = keyValue(lines[i].text);
      if (!kv) throw new Error(`cannot read line ${i + 1} of the compose configuration: ${lines[i].text}`);
      const [key, value] = kv;
      i++;
      if (value !== '') out[key] = scalar(value);
      else if (i < lines.length && lines[i].indent > indent) out[key] = node(lines[i].indent);
      else if (i < lines.length && lines[i].indent === indent && lines[i].text.startsWith('- ')) out[key] = sequence(indent);
      else out[key] = null;
    }
    return out;
  }
  const result = node(0);
  if (i < lines.length) throw new Error(`cannot read line ${i + 1} of the compose configuration: ${lines[i].text}`);
  return result;
}

const obj = (v: Json | undefined): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
const list = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);

/** A service's volumes as `source:target[:ro]` (v1 prints strings, v2 objects). */
function volumesOf(service: Obj): string[] {
  return list(service.volumes).map((v) => {
    if (typeof v === 'string') return v.replace(/:rw$/, '');
    const o = obj(v);
    return `${o.source}:${o.target}${o.read_only === true || o.read_only === 'true' ? ':ro' : ''}`;
  });
}

/** A service's published ports as `host:container` (v1 prints strings or objects, v2 objects). */
function publishedPortsOf(service: Obj): string[] {
  return list(service.ports).map((p) => {
    if (typeof p === 'string') return p.replace(/\/tcp$/, '');
    const o = obj(p);
    return `${o.host_ip ? `${o.host_ip}:` : ''}${o.published}:${o.target}`;
  });
}

function environmentOf(service: Obj): Record<string, string> {
  const env = service.environment;
  if (Array.isArray(env)) return Object.fromEntries(env.map((e) => String(e).split(/=(.*)/s).slice(0, 2)));
  return Object.fromEntries(Object.entries(obj(env)).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function conditionsOf(service: Obj): Record<string, string> {
  return Object.fromEntries(Object.entries(obj(service.depends_on)).map(([name, v]) => [name, String(obj(v).condition)]));
}

const NO_COMPOSE =
  'neither `docker compose` (the Compose plugin) nor `docker-compose` is installed, so docker-compose.yml cannot be checked: ' +
  'install one, e.g. `sudo apt-get install docker-compose` (Debian/Ubuntu), or the Docker Compose plugin';

describe('docker-compose.yml', () => {
  let cli: ComposeCli | undefined;
  let loadError: string | undefined;
  let loaded: Record<string, Obj> = {};

  beforeAll(() => {
    cli = findComposeCli();
    if (!cli) {
      loadError = NO_COMPOSE;
      return;
    }
    const out = compose(cli, cli.json ? ['config', '--format', 'json'] : ['config']);
    if (out.status !== 0) {
      loadError = `\`${[cli.command, ...cli.args].join(' ')} config\` failed: ${out.error?.message ?? out.stderr.trim()}`;
      return;
    }
    const config = obj(cli.json ? (JSON.parse(out.stdout) as Json) : parseNormalizedYaml(out.stdout));
    loaded = Object.fromEntries(Object.entries(obj(config.services)).map(([k, v]) => [k, obj(v)]));
  }, 120_000);

  /** The resolved services, or the reason there are none. */
  function servicesOrFail(): Record<string, Obj> {
    if (loadError) throw new Error(loadError);
    return loaded;
  }

  it('is valid for the installed Compose CLI (`config -q`)', () => {
    if (!cli) throw new Error(NO_COMPOSE);
    const out = compose(cli, ['config', '-q']);
    if (out.error) throw out.error;
    expect({ status: out.status, stderr: out.stderr.trim() }).toEqual({ status: 0, stderr: expect.any(String) });
  });

  it('has postgres, kafka, the keys one-shot, the four subgraph services and the gateway', () => {
    const services = servicesOrFail();
    expect(Object.keys(services).sort()).toEqual([...APP_SERVICES, 'kafka', 'keys', 'postgres'].sort());
  });

  it.each(APP_SERVICES)('%s runs from the shared image, listens on 0.0.0.0 and has a readiness health check', (name) => {
    const services = servicesOrFail();
    const s = services[name];
    expect(s).toBeDefined();
    expect(s.image).toBe('remote-help:local');
    expect(list(s.command).map(String)).toEqual(['node', `apps/${name}/dist/main.js`]);
    const env = environmentOf(s);
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.PORT).toBe(String(PORTS[name]));
    expect(env.NODE_ENV).toBe('production');
    // Metrics on a port of their own, declared to the compose network; stopped within the same grace period as the process's own.
    expect(env.METRICS_PORT).toBe('9464');
    expect(list(s.expose).map(String)).toEqual(['9464']);
    expect(env.SHUTDOWN_GRACE_SECONDS).toBe('30');
    expect(String(s.stop_grace_period)).toBe('30s');
    const test = list(obj(s.healthcheck).test).map(String);
    expect(test[0]).toBe('CMD');
    expect(test.join(' ')).toContain(`http://127.0.0.1:${PORTS[name]}/health/ready`);
  });

  it.each([...APP_SERVICES, 'keys'])('%s runs as in production: the non-root node user, a read-only root file system with a tmpfs /tmp, no capabilities, no new privileges', (name) => {
    const s = servicesOrFail()[name];
    expect(String(s.user)).toBe('1000:1000');
    expect(String(s.read_only)).toBe('true');
    expect(list(s.tmpfs).map(String)).toEqual(['/tmp']);
    expect(list(s.cap_drop).map(String)).toEqual(['ALL']);
    expect(list(s.security_opt).map(String)).toEqual(['no-new-privileges:true']);
    // Read-only means writes go to volumes only: the keys one-shot writes to its key volumes, the others write nothing.
    const writable = volumesOf(s).filter((v) => !v.endsWith(':ro'));
    expect(writable).toEqual(name === 'keys' ? ['gateway-keys:/data/keys', 'service-keys:/data/service-keys'] : []);
  });

  it.each(['postgres', 'kafka'])('%s gains no privileges through setuid binaries', (name) => {
    expect(list(servicesOrFail()[name].security_opt).map(String)).toEqual(['no-new-privileges:true']);
  });

  it('builds the image once, in the keys one-shot, which every app service waits for', () => {
    const services = servicesOrFail();
    const keys = services.keys;
    expect(keys.image).toBe('remote-help:local');
    expect(keys.build).toBeTruthy();
    expect(list(keys.command).map(String)).toEqual(['node', 'docker/keys.cjs']);
    for (const name of APP_SERVICES) {
      expect(services[name].build).toBeUndefined();
      expect(conditionsOf(services[name]).keys).toBe('service_completed_successfully');
    }
  });

  it.each(SUBGRAPHS)('$name has its own database, Kafka, the other services and the service keys', ({ name, database }) => {
    const services = servicesOrFail();
    const s = services[name];
    const env = environmentOf(s);
    expect(env.DATABASE_URL).toMatch(new RegExp(`^postgres://postgres(:[^@]*)?@postgres:5432/${database}$`));
    expect(env.KAFKA_BROKERS).toBe('kafka:9092');
    expect(env).toMatchObject({
      INTERNAL_JWT_PUBLIC_KEY_FILE: '/data/keys/internal.public.pem',
      SERVICE_JWT_PRIVATE_KEY_FILE: '/data/keys/service.private.pem',
      SERVICE_JWT_PUBLIC_KEY_FILE: '/data/keys/service.public.pem',
      TENANT_SERVICE_INTERNAL_URL: 'http://tenant-service:4001',
      RBAC_SERVICE_INTERNAL_URL: 'http://rbac-service:4002',
    });
    expect(volumesOf(s)).toEqual(['service-keys:/data/keys:ro']);
    expect(conditionsOf(s)).toEqual({ keys: 'service_completed_successfully', postgres: 'service_healthy', kafka: 'service_healthy' });
  });

  it("mounts the gateway's keys into the gateway alone and the service keys into the services alone, read-only", () => {
    const services = servicesOrFail();
    const mountsOf = (volume: string) =>
      Object.entries(services)
        .flatMap(([name, s]) =>
          volumesOf(s)
            .filter((v) => v.startsWith(`${volume}:`))
            .map((v) => `${name} ${v}`),
        )
        .sort();
    expect(mountsOf('gateway-keys')).toEqual(['gateway gateway-keys:/data/keys:ro', 'keys gateway-keys:/data/keys']);
    expect(mountsOf('service-keys')).toEqual(['keys service-keys:/data/service-keys', ...SUBGRAPHS.map((s) => `${s.name} service-keys:/data/keys:ro`)].sort());
    expect(volumesOf(services.gateway)).toEqual(['gateway-keys:/data/keys:ro']);
    const env = environmentOf(services.gateway);
    expect(env.INTERNAL_JWT_PRIVATE_KEY_FILE).toBe('/data/keys/internal.private.pem');
    expect(env.DEV_ISSUER_KEYS_DIR).toBe('/data/keys');
  });

  it('publishes the gateway on port 4000, after every subgraph is healthy', () => {
    const services = servicesOrFail();
    const gateway = services.gateway;
    expect(publishedPortsOf(gateway)).toEqual(['4000:4000']);
    const env = environmentOf(gateway);
    for (const s of SUBGRAPHS) {
      const variable = `${s.name.replace('-service', '').toUpperCase()}_SERVICE_URL`;
      expect(env[variable]).toBe(`http://${s.name}:${s.port}/graphql`);
    }
    expect(env.KAFKA_BROKERS).toBe('kafka:9092');
    expect(conditionsOf(gateway)).toEqual({
      keys: 'service_completed_successfully',
      kafka: 'service_healthy', // its live feed of subscriptions
      ...Object.fromEntries(SUBGRAPHS.map((s) => [s.name, 'service_healthy'])),
    });
  });

  it('runs PostgreSQL and a single-node KRaft Kafka with health checks', () => {
    const services = servicesOrFail();
    expect(String(services.postgres.image)).toMatch(/^postgres:16/);
    expect(list(obj(services.postgres.healthcheck).test).map(String).join(' ')).toContain('pg_isready');
    const kafka = services.kafka;
    expect(kafka.image).toBe('apache/kafka:4.1.0');
    expect(list(obj(kafka.healthcheck).test).map(String).join(' ')).toContain('kafka-broker-api-versions.sh --bootstrap-server localhost:9092');
    const env = environmentOf(kafka);
    expect(env).toMatchObject({
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_NODE_ID: '1',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@kafka:9093',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
    });
    expect(env.KAFKA_ADVERTISED_LISTENERS.split(',')).toContain('PLAINTEXT://kafka:9092');
    expect(env.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/); // a base64url UUID, as kafka-storage format needs
  });
});

describe('Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const workspaces = ['libs', 'apps'].flatMap((dir) =>
    fs
      .readdirSync(path.join(ROOT, dir))
      .filter((name) => fs.existsSync(path.join(ROOT, dir, name, 'package.json')))
      .map((name) => `${dir}/${name}`),
  );

  it('builds on node:24-bookworm-slim and runs as the non-root node user, by number', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    expect(dockerfile).toMatch(/RUN npm ci --omit=dev\b/);
    expect(dockerfile).toMatch(/RUN npx nx run-many -t build\b/);
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    // node's uid and gid in the official images; numeric, so that Kubernetes can verify runAsNonRoot.
    expect(users[users.length - 1]).toBe('1000:1000');
    expect(dockerfile).toContain('COPY apps/gateway/supergraph.graphql');
  });

  it('ships production dependencies only: no dev dependency install and no package manager in the runtime stage', () => {
    const runtime = dockerfile.slice(dockerfile.search(/^FROM \S+ AS runtime$/m));
    expect(runtime).toMatch(/^FROM \S+ AS runtime$/m);
    // Its node_modules come from the prod-deps stage (npm ci --omit=dev), its code from the builder's dist folders.
    expect([...runtime.matchAll(/^COPY --from=(\S+) \/app\/(\S*)/gm)].map((m) => `${m[1]} ${m[2]}`).filter((c) => !c.endsWith('/dist/'))).toEqual(['prod-deps ']);
    const prodDeps = dockerfile.slice(dockerfile.search(/^FROM \S+ AS prod-deps$/m), dockerfile.search(/^FROM \S+ AS runtime$/m));
    expect(prodDeps).toMatch(/RUN npm ci --omit=dev\b/);
    expect(runtime).not.toMatch(/\bnpm (ci|install)\b/);
    for (const tool of ['/usr/local/lib/node_modules/npm', '/usr/local/bin/npm', '/usr/local/bin/npx', '/usr/local/bin/corepack']) expect(runtime).toContain(tool);
  });

  it.each(workspaces)('links and ships the workspace package %s', (dir) => {
    // Without its package.json npm ci cannot link it; without its dist nothing can require it.
    expect(dockerfile).toContain(`COPY ${dir}/package.json ${dir}/\n`);
    expect(dockerfile).toContain(`COPY --from=builder /app/${dir}/dist/ ${dir}/dist/\n`);
  });

  it('.dockerignore keeps dependencies, build output and local data out of the context', () => {
    const ignored = fs
      .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['**/node_modules', '**/dist', '.data', '.nx', '.git', 'bench/results']) expect(ignored).toContain(entry);
  });
});
