// The Helm chart (deploy/helm/remote-help), checked without a cluster: `helm lint --strict` and
// `helm template` through helm-java from Maven Central (scripts/helm.mjs; the first run fetches
// it with Maven), every rendered object validated against the Kubernetes schemas with unknown
// fields refused (scripts/lib/kube-manifests.mjs), and what matters asserted on the objects:
// probes, security context, labels, the variables each service reads, no secret in a
// ConfigMap, and a NetworkPolicy set that allows exactly the flows the system needs.
import { ensureInternalKeys } from '@remote-help/auth';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';
import { configSpec as gatewaySpec } from '../apps/gateway/src/config';
import { configSpec as rbacSpec } from '../apps/rbac-service/src/config';
import { configSpec as reportingSpec } from '../apps/reporting-service/src/config';
import { configSpec as sessionSpec } from '../apps/session-service/src/config';
import { configSpec as tenantSpec } from '../apps/tenant-service/src/config';

const ROOT = path.resolve(__dirname, '..');
const CHART = path.join(ROOT, 'deploy', 'helm', 'remote-help');
const SCALE_VALUES = path.join(CHART, 'ci', 'scale-values.yaml');
const HELM = path.join(__dirname, 'helm.mjs');
const KUBE_MANIFESTS = path.join(__dirname, 'lib', 'kube-manifests.mjs');
const SLOW = 300_000; // the first call fetches helm-java with Maven

type Obj = Record<string, any>;

const COMPONENTS = [
  { name: 'gateway', port: 4000, spec: gatewaySpec, subgraph: false },
  { name: 'tenant-service', port: 4001, spec: tenantSpec, subgraph: true },
  { name: 'rbac-service', port: 4002, spec: rbacSpec, subgraph: true },
  { name: 'session-service', port: 4003, spec: sessionSpec, subgraph: true },
  { name: 'reporting-service', port: 4004, spec: reportingSpec, subgraph: true },
];
const SUBGRAPHS = COMPONENTS.filter((c) => c.subgraph);
const METRICS_PORT = 9464;

function helm(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [HELM, ...args], { cwd: ROOT, encoding: 'utf8', timeout: SLOW, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `helm template --validate`: the objects, after the schema check passed. */
function render(...valuesFiles: string[]): Obj[] {
  const r = helm(['template', CHART, '--validate', ...valuesFiles.flatMap((f) => ['-f', f])]);
  if (r.status !== 0) throw new Error(`helm template failed (exit ${r.status}):\n${r.stderr}`);
  expect(r.stderr).toMatch(/\d+ objects, 0 problem\(s\)/);
  return YAML.parseAllDocuments(r.stdout)
    .map((d) => d.toJS())
    .filter(Boolean);
}

function validate(objects: Obj[]): { object: string; problem: string }[] {
  const code = `
    const { validateManifests } = await import(${JSON.stringify(KUBE_MANIFESTS)});
    const objects = JSON.parse((await import('node:fs')).readFileSync(0, 'utf8'));
    process.stdout.write(JSON.stringify(await validateManifests(objects)));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { input: JSON.stringify(objects), encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const ofKind = (objects: Obj[], kind: string) => objects.filter((o) => o.kind === kind);
const named = (objects: Obj[], kind: string, component: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === `remote-help-${component}`);
  if (!found) throw new Error(`no ${kind} remote-help-${component}`);
  return found;
};

/** What one process gets: its ConfigMap's variables plus the container's own env. */
function environmentOf(objects: Obj[], component: string): Record<string, string | Obj> {
  const deployment = named(objects, 'Deployment', component);
  const container = deployment.spec.template.spec.containers[0];
  const env: Record<string, string | Obj> = {};
  for (const from of container.envFrom ?? []) {
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === from.configMapRef.name);
    Object.assign(env, cm?.data ?? {});
  }
  for (const e of container.env ?? []) env[e.name] = e.value ?? e.valueFrom;
  return env;
}

// ------------------------------------------------------------------ NetworkPolicy evaluation

/** A pod (or an address outside the cluster, with no labels) that traffic comes from or goes to. */
interface Endpoint {
  id: string;
  namespace?: string;
  namespaceLabels?: Record<string, string>;
  labels?: Record<string, string>;
}

const matches = (selector: Obj | undefined, labels: Record<string, string> = {}) =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
  (selector?.matchExpressions ?? []).every((e: Obj) => (e.operator === 'In' ? e.values.includes(labels[e.key]) : e.operator === 'Exists' ? e.key in labels : false));

function peerMatches(peer: Obj, policyNamespace: string, ep: Endpoint): boolean {
  if (peer.ipBlock) return !ep.namespace; // an address range: stands for the world outside the cluster here
  if (!ep.namespace) return false; // pod and namespace selectors never select outside addresses
  const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, ep.namespaceLabels) : ep.namespace === policyNamespace;
  const podOk = peer.podSelector ? matches(peer.podSelector, ep.labels) : true;
  return nsOk && podOk;
}

function ruleAllows(rule: Obj, peersKey: 'from' | 'to', policyNamespace: string, other: Endpoint, port: number, protocol: string) {
  const portOk = !rule.ports || rule.ports.some((p: Obj) => p.port === port && (p.protocol ?? 'TCP') === protocol);
  const peerOk = !rule[peersKey] || rule[peersKey].length === 0 || rule[peersKey].some((p: Obj) => peerMatches(p, policyNamespace, other));
  return portOk && peerOk;
}

/** Whether Kubernetes lets src reach dst:port, given the policies (of the release's namespace). */
function allowed(policies: Obj[], namespace: string, src: Endpoint, dst: Endpoint, port: number, protocol = 'TCP'): boolean {
  const selecting = (ep: Endpoint, type: string) => (ep.namespace === namespace ? policies.filter((p) => p.spec.policyTypes.includes(type) && matches(p.spec.podSelector, ep.labels)) : []);
  const egress = selecting(src, 'Egress');
  const ingress = selecting(dst, 'Ingress');
  const egressOk = egress.length === 0 || egress.some((p) => (p.spec.egress ?? []).some((r: Obj) => ruleAllows(r, 'to', namespace, dst, port, protocol)));
  const ingressOk = ingress.length === 0 || ingress.some((p) => (p.spec.ingress ?? []).some((r: Obj) => ruleAllows(r, 'from', namespace, src, port, protocol)));
  return egressOk && ingressOk;
}

// ------------------------------------------------------------------ tests

describe('Helm chart deploy/helm/remote-help', () => {
  let defaults: Obj[];
  let scaled: Obj[];
  beforeAll(() => {
    defaults = render();
    scaled = render(SCALE_VALUES);
  }, 2 * SLOW);

  it.each([
    ['the default values', []],
    ['every component at 3 replicas with autoscaling', [SCALE_VALUES]],
  ])(
    'passes helm lint --strict with %s',
    (_label, files) => {
      const r = helm(['lint', CHART, '--strict', ...files.flatMap((f) => ['-f', f])]);
      expect(r.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
      expect(r.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
      expect(r.status).toBe(0);
    },
    SLOW,
  );

  it(
    'refuses values the schema does not allow (helm lint and helm template)',
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rh-helm-values-'));
      try {
        const bad = path.join(dir, 'bad.yaml');
        fs.writeFileSync(bad, YAML.stringify({ gateway: { replicas: 2 }, securityContext: { allowPrivilegeEscalation: true }, sessionService: { env: { DATABASE_URL: 'x' } } }));
        const lint = helm(['lint', CHART, '--strict', '-f', bad]);
        expect(lint.status).toBe(1);
        expect(lint.stdout).toContain("additional properties 'replicas' not allowed");
        expect(lint.stdout).toContain('/securityContext/allowPrivilegeEscalation');
        const template = helm(['template', CHART, '-f', bad]);
        expect(template.status).toBe(1);
        // A variable the chart sets itself cannot be overridden through env.
        const managed = path.join(dir, 'managed.yaml');
        fs.writeFileSync(managed, YAML.stringify({ sessionService: { env: { DATABASE_URL: 'postgres://x@y/z' } } }));
        const t2 = helm(['template', CHART, '-f', managed]);
        expect(t2.status).toBe(1);
        expect(t2.stderr).toContain('sessionService.env.DATABASE_URL: the chart sets DATABASE_URL itself');
        // SHUTDOWN_GRACE_SECONDS is the pod's grace period, so the drain must end within it.
        const drain = path.join(dir, 'drain.yaml');
        fs.writeFileSync(drain, YAML.stringify({ shutdown: { drainSeconds: 10 }, rbacService: { terminationGracePeriodSeconds: 10 } }));
        const t3 = helm(['template', CHART, '-f', drain]);
        expect(t3.status).toBe(1);
        expect(t3.stderr).toContain('shutdown.drainSeconds (10) must be less than rbacService.terminationGracePeriodSeconds (10)');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    SLOW,
  );

  it(
    'the schema check catches invalid objects and unknown fields (it is not a pass-through)',
    () => {
      const deployment = structuredClone(named(defaults, 'Deployment', 'gateway'));
      deployment.spec.replica = 3; // a typo of replicas
      deployment.spec.template.spec.containers[0].imagePulPolicy = 'Always';
      deployment.spec.template.spec.containers[0].ports[0].containerPort = 'http';
      const problems = validate([deployment, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]).map((p) => `${p.object}: ${p.problem}`);
      expect(problems).toEqual(
        expect.arrayContaining([
          'Deployment remote-help-gateway: /spec/replica: unknown field',
          'Deployment remote-help-gateway: /spec/template/spec/containers/0/imagePulPolicy: unknown field',
          expect.stringMatching(/^Deployment remote-help-gateway: \/spec\/template\/spec\/containers\/0\/ports\/0\/containerPort must be integer/),
          'Widget w: no schema for example.com/v1 Widget',
        ]),
      );
      expect(problems).toHaveLength(4);
      expect(validate(defaults)).toEqual([]);
    },
    SLOW,
  );

  it('renders every component with its objects, and the migration Job as a pre-install/pre-upgrade hook', () => {
    for (const [objects, autoscaled] of [
      [defaults, false],
      [scaled, true],
    ] as const) {
      for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'ConfigMap', 'PodDisruptionBudget']) {
        expect(
          ofKind(objects, kind)
            .map((o) => o.metadata.name)
            .sort(),
        ).toEqual(COMPONENTS.map((c) => `remote-help-${c.name}`).sort());
      }
      expect(ofKind(objects, 'HorizontalPodAutoscaler')).toHaveLength(autoscaled ? 5 : 0);
      expect(ofKind(objects, 'ServiceMonitor')).toHaveLength(autoscaled ? 5 : 0);
      const [job] = ofKind(objects, 'Job');
      expect(ofKind(objects, 'Job')).toHaveLength(1);
      expect(job.metadata.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      expect(job.spec.template.spec.containers.map((c: Obj) => c.command)).toEqual(SUBGRAPHS.map((s) => ['node', `apps/${s.name}/dist/migrate.js`]));
    }
    for (const c of COMPONENTS) {
      expect(named(defaults, 'Deployment', c.name).spec.replicas).toBe(c.name === 'gateway' ? 2 : 1);
      const d = named(scaled, 'Deployment', c.name);
      expect(d.spec.replicas).toBeUndefined(); // the autoscaler owns it
      const hpa = named(scaled, 'HorizontalPodAutoscaler', c.name);
      expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 9, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name } });
    }
  });

  it('each Deployment: probes on the health endpoints, restricted security context, metrics port, checksum/config', () => {
    for (const objects of [defaults, scaled]) {
      for (const c of COMPONENTS) {
        const d = named(objects, 'Deployment', c.name);
        const pod = d.spec.template.spec;
        const [container] = pod.containers;
        expect(pod.containers).toHaveLength(1);
        expect(container.command).toEqual(['node', `apps/${c.name}/dist/main.js`]);
        expect(container.ports).toEqual([
          { name: 'http', containerPort: c.port, protocol: 'TCP' },
          { name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
        ]);
        expect(container.startupProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
        expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
        expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
        expect(container.startupProbe.failureThreshold * container.startupProbe.periodSeconds).toBeGreaterThanOrEqual(120);
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
        expect(container.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(pod.automountServiceAccountToken).toBe(false);
        expect(pod.serviceAccountName).toBe(`remote-help-${c.name}`);
        expect(pod.volumes.find((v: Obj) => v.name === 'tmp')).toMatchObject({ emptyDir: {} });
        const annotations = d.spec.template.metadata.annotations;
        expect(annotations['checksum/config']).toMatch(/^[a-f0-9]{64}$/);
        expect(annotations['checksum/secret']).toMatch(/^[a-f0-9]{64}$/);
        expect(annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(METRICS_PORT), 'prometheus.io/path': '/metrics' });
        const service = named(objects, 'Service', c.name);
        expect(service.spec.ports).toEqual([
          { name: 'http', port: c.port, targetPort: 'http', protocol: 'TCP' },
          { name: 'metrics', port: METRICS_PORT, targetPort: 'metrics', protocol: 'TCP' },
        ]);
        expect(service.spec.selector).toEqual(d.spec.selector.matchLabels);
      }
      const [job] = ofKind(objects, 'Job');
      for (const container of job.spec.template.spec.containers) {
        expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      }
    }
  });

  it('every object carries the recommended app.kubernetes.io labels, and selectors pick one component', () => {
    for (const objects of [defaults, scaled]) {
      for (const o of objects) {
        expect(
          Object.keys(o.metadata.labels)
            .filter((k) => k.startsWith('app.kubernetes.io/'))
            .sort(),
        ).toEqual(['app.kubernetes.io/component', 'app.kubernetes.io/instance', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/name', 'app.kubernetes.io/part-of', 'app.kubernetes.io/version']);
        expect(o.metadata.labels).toMatchObject({
          'app.kubernetes.io/name': 'remote-help',
          'app.kubernetes.io/instance': 'remote-help',
          'app.kubernetes.io/managed-by': 'Helm',
          'app.kubernetes.io/part-of': 'remote-help',
        });
        expect(o.metadata.namespace).toBe('remote-help');
      }
      for (const c of COMPONENTS) {
        const d = named(objects, 'Deployment', c.name);
        expect(d.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'remote-help', 'app.kubernetes.io/instance': 'remote-help', 'app.kubernetes.io/component': c.name });
        expect(d.spec.template.metadata.labels).toMatchObject(d.spec.selector.matchLabels);
        expect(named(objects, 'PodDisruptionBudget', c.name).spec.selector).toEqual(d.spec.selector);
      }
    }
  });

  it('sets only variables the services read, every key file it names is mounted, and the internal URLs are the Services', () => {
    for (const objects of [defaults, scaled]) {
      for (const c of COMPONENTS) {
        const env = environmentOf(objects, c.name);
        const known = Object.keys(c.spec);
        expect(Object.keys(env).filter((k) => !known.includes(k))).toEqual([]);
        expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: String(c.port), METRICS_PORT: String(METRICS_PORT) });
        // The process's own grace period is the pod's; the drain fits in it.
        const grace = named(objects, 'Deployment', c.name).spec.template.spec.terminationGracePeriodSeconds;
        expect({ grace: env.SHUTDOWN_GRACE_SECONDS, drain: env.SHUTDOWN_DRAIN_SECONDS }).toEqual({ grace: String(grace), drain: '5' });
        // Key files: each one is mounted from the keys Secret.
        const pod = named(objects, 'Deployment', c.name).spec.template.spec;
        const mount = pod.containers[0].volumeMounts.find((m: Obj) => m.name === 'keys');
        const keysVolume = pod.volumes.find((v: Obj) => v.name === 'keys');
        expect(mount.readOnly).toBe(true);
        expect(keysVolume.secret.defaultMode).toBe(0o440); // readable by the fsGroup, not by others
        const mounted = keysVolume.secret.items.map((i: Obj) => `${mount.mountPath}/${i.path}`).sort();
        const keyFiles = Object.entries(env)
          .filter(([k]) => k.endsWith('_KEY_FILE'))
          .map(([, v]) => v)
          .sort();
        expect(mounted).toEqual(keyFiles);
        if (c.subgraph) {
          expect(keyFiles).toEqual(['/keys/internal.public.pem', '/keys/service.private.pem', '/keys/service.public.pem']);
          expect(env.TENANT_SERVICE_INTERNAL_URL).toBe('http://remote-help-tenant-service:4001');
          expect(env.RBAC_SERVICE_INTERNAL_URL).toBe('http://remote-help-rbac-service:4002');
          expect(env.DATABASE_URL).toHaveProperty('secretKeyRef');
        } else {
          expect(keyFiles).toEqual(['/keys/internal.private.pem']); // never the services' key pair
          for (const s of SUBGRAPHS) expect(env[s.name.replace('-service', '').toUpperCase() + '_SERVICE_URL']).toBe(`http://remote-help-${s.name}:${s.port}/graphql`);
          expect(env.DEV_ISSUER_ENABLED).toBe('false');
          expect(env.SUPERGRAPH_PATH).toBe('/app/apps/gateway/supergraph.graphql');
        }
      }
      expect(environmentOf(objects, 'gateway').KAFKA_BROKERS).toBe(objects === defaults ? 'kafka:9092' : 'remote-help-kafka-bootstrap.kafka.svc:9092');
    }
    // CloudNativePG's app Secrets: each service reads its own.
    for (const s of SUBGRAPHS) {
      expect(environmentOf(scaled, s.name).DATABASE_URL).toEqual({ secretKeyRef: { name: `rh-${s.name.replace('-service', '')}-app`, key: 'uri' } });
    }
    expect(environmentOf(scaled, 'rbac-service').ACCESS_FACTS_CACHE_ENTRIES).toBe('200000');
    expect(JSON.parse(environmentOf(scaled, 'gateway').OIDC_ISSUERS as string)).toEqual([
      { discoveryUrl: 'https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration', audience: 'api://remote-help' },
    ]);
  });

  it(
    'keeps keys and database URLs in Secrets, never in a ConfigMap (keys given inline, as docker/keys.cjs makes them)',
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rh-helm-keys-'));
      try {
        const internal = await ensureInternalKeys(dir);
        const service = await ensureInternalKeys(dir, 'service');
        const password = 'S3cret-Pa55word';
        const values = path.join(dir, 'inline.yaml');
        fs.writeFileSync(
          values,
          YAML.stringify({
            keys: { existingSecret: '', internalPrivateKey: internal.privateKeyPem, internalPublicKey: internal.publicKeyPem, servicePrivateKey: service.privateKeyPem, servicePublicKey: service.publicKeyPem },
            ...Object.fromEntries(SUBGRAPHS.map((s) => [s.name.replace(/-(\w)/g, (_m, ch) => ch.toUpperCase()), { database: { url: `postgres://rh:${password}@db:5432/${s.name}` } }])),
          }),
        );
        const objects = render(values);
        const secrets = ofKind(objects, 'Secret');
        expect(secrets.map((s) => s.metadata.name).sort()).toEqual(['remote-help-database', 'remote-help-keys']);
        const decoded = (s: Obj) => Object.fromEntries(Object.entries(s.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
        const keys = decoded(secrets.find((s) => s.metadata.name === 'remote-help-keys')!);
        expect(keys).toEqual({
          'internal.private.pem': internal.privateKeyPem,
          'internal.public.pem': internal.publicKeyPem,
          'service.private.pem': service.privateKeyPem,
          'service.public.pem': service.publicKeyPem,
        });
        const database = secrets.find((s) => s.metadata.name === 'remote-help-database')!;
        expect(database.metadata.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade'); // there before the migration Job
        expect(Object.values(decoded(database)).every((url) => url.includes(password))).toBe(true);
        const configText = JSON.stringify(ofKind(objects, 'ConfigMap'));
        expect(configText).not.toContain(password);
        expect(configText).not.toMatch(/PRIVATE KEY|BEGIN PUBLIC KEY/);
        for (const o of objects.filter((x) => x.kind !== 'Secret')) {
          const text = JSON.stringify(o);
          for (const secretValue of [internal.privateKeyPem, service.privateKeyPem, password]) expect(text).not.toContain(secretValue.trim().split('\n')[1] ?? secretValue);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    SLOW,
  );

  describe('NetworkPolicies allow exactly the flows the system needs', () => {
    const ns = 'remote-help';
    const pod = (component: string): Endpoint => ({
      id: component,
      namespace: ns,
      namespaceLabels: { 'kubernetes.io/metadata.name': ns },
      labels: { 'app.kubernetes.io/name': 'remote-help', 'app.kubernetes.io/instance': 'remote-help', 'app.kubernetes.io/component': component },
    });
    const release = [...COMPONENTS.map((c) => pod(c.name)), pod('migrations')];
    const outside: Endpoint = { id: 'internet' };
    const ingressController: Endpoint = { id: 'ingress-controller', namespace: 'ingress-nginx', namespaceLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' }, labels: { app: 'ingress-nginx' } };
    const prometheus: Endpoint = { id: 'prometheus', namespace: 'monitoring', namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring' }, labels: { app: 'prometheus' } };
    const strimzi: Endpoint = { id: 'kafka', namespace: 'kafka', namespaceLabels: { 'kubernetes.io/metadata.name': 'kafka' }, labels: { 'strimzi.io/cluster': 'remote-help' } };
    const cnpg: Endpoint = { id: 'postgres', namespace: ns, namespaceLabels: { 'kubernetes.io/metadata.name': ns }, labels: { 'cnpg.io/cluster': 'rh-session' } };
    const dns: Endpoint = { id: 'dns', namespace: 'kube-system', namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' }, labels: { 'k8s-app': 'kube-dns' } };
    const collector: Endpoint = { id: 'collector', namespace: 'observability', namespaceLabels: { 'kubernetes.io/metadata.name': 'observability' }, labels: { app: 'otel-collector' } };
    const targets = [...release, outside, ingressController, prometheus, strimzi, cnpg, dns, collector];
    const ports = [4000, 4001, 4002, 4003, 4004, METRICS_PORT, 5432, 9092, 443, 4318];

    /** Every allowed TCP flow `src -> dst:port` among these endpoints (plus DNS over UDP). */
    function flows(objects: Obj[]): string[] {
      const policies = ofKind(objects, 'NetworkPolicy');
      const out: string[] = [];
      for (const src of targets) {
        for (const dst of targets) {
          if (src === dst) continue;
          if (!release.includes(src) && !release.includes(dst)) continue; // not the chart's business
          for (const port of ports) if (allowed(policies, ns, src, dst, port)) out.push(`${src.id} -> ${dst.id}:${port}`);
          if (allowed(policies, ns, src, dst, 53, 'UDP')) out.push(`${src.id} -> ${dst.id}:53/udp`);
        }
      }
      return out.sort();
    }

    it('with the scale values (Strimzi, CloudNativePG, an ingress controller, a monitoring namespace named)', () => {
      const expected = [
        `ingress-controller -> gateway:4000`,
        ...COMPONENTS.map((c) => `prometheus -> ${c.name}:${METRICS_PORT}`),
        ...SUBGRAPHS.map((s) => `gateway -> ${s.name}:${s.port}`),
        ...SUBGRAPHS.map((s) => `${s.name} -> rbac-service:4002`).filter((f) => !f.startsWith('rbac-service')),
        ...[...SUBGRAPHS.map((s) => s.name), 'migrations'].map((s) => `${s} -> postgres:5432`),
        ...[...COMPONENTS.map((c) => c.name)].map((s) => `${s} -> kafka:9092`),
        'gateway -> internet:443', // OpenID Connect discovery and keys
        ...release.map((p) => `${p.id} -> dns:53/udp`),
      ].sort();
      expect(flows(scaled)).toEqual(expected);
    });

    it('with the default values (Kafka and PostgreSQL anywhere, the gateway open to every client)', () => {
      const anywhere = (src: string, port: number) => targets.filter((t) => t.id !== src && !release.includes(t)).map((t) => `${src} -> ${t.id}:${port}`);
      const got = flows(defaults);
      // The gateway: from anyone on its port; nothing else reaches a subgraph but the gateway (and rbac-service's callers).
      expect(got.filter((f) => f.endsWith('gateway:4000'))).toEqual(
        targets
          .filter((t) => !release.includes(t))
          .map((t) => `${t.id} -> gateway:4000`)
          .sort(),
      );
      for (const s of SUBGRAPHS) {
        const callers = got
          .filter((f) => f.endsWith(` -> ${s.name}:${s.port}`))
          .map((f) => f.split(' ')[0])
          .sort();
        expect(callers).toEqual(s.name === 'rbac-service' ? ['gateway', 'reporting-service', 'session-service', 'tenant-service'] : ['gateway']);
      }
      // PostgreSQL: the subgraph services and the migration Job, never the gateway.
      expect(got.filter((f) => f.endsWith(':5432'))).toEqual([...SUBGRAPHS.map((s) => s.name), 'migrations'].flatMap((s) => anywhere(s, 5432)).sort());
      // Kafka: the five processes, not the migration Job.
      expect(got.filter((f) => f.endsWith(':9092'))).toEqual(COMPONENTS.flatMap((c) => anywhere(c.name, 9092)).sort());
      expect(got.filter((f) => f.endsWith(':443'))).toEqual(anywhere('gateway', 443).sort());
      // Metrics: from inside the cluster only.
      expect(got.filter((f) => f.endsWith(`:${METRICS_PORT}`))).toEqual(COMPONENTS.flatMap((c) => targets.filter((t) => t.namespace && !release.includes(t)).map((t) => `${t.id} -> ${c.name}:${METRICS_PORT}`)).sort());
      expect(got.filter((f) => f.endsWith('/udp'))).toEqual(release.map((p) => `${p.id} -> dns:53/udp`).sort());
      // Nothing reaches the migration Job; from outside the cluster, only the gateway's port.
      expect(got.filter((f) => f.includes('migrations:') || (f.startsWith('internet') && !f.endsWith('gateway:4000')))).toEqual([]);
      // Tracing is off: no process sends to a collector.
      expect(got.filter((f) => f.endsWith(':4318'))).toEqual([]);
    });

    it(
      'with tracing on: every process gets the collector (OTEL_EXPORTER_OTLP_ENDPOINT) and may reach it, and nothing else changes',
      () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rh-helm-tracing-'));
        try {
          const values = path.join(dir, 'tracing.yaml');
          fs.writeFileSync(
            values,
            YAML.stringify({
              tracing: { otlpEndpoint: 'http://otel-collector.observability:4318' },
              networkPolicy: { tracing: { ports: [4318], to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }] } },
            }),
          );
          const traced = render(values);
          for (const c of COMPONENTS) {
            expect(environmentOf(traced, c.name)).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' });
            expect(environmentOf(defaults, c.name)).not.toHaveProperty('OTEL_EXPORTER_OTLP_ENDPOINT');
          }
          const got = flows(traced);
          expect(got.filter((f) => f.endsWith(':4318'))).toEqual(COMPONENTS.map((c) => `${c.name} -> collector:4318`).sort());
          expect(got.filter((f) => !f.endsWith(':4318'))).toEqual(flows(defaults));
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
      SLOW,
    );
  });
});
