#!/usr/bin/env node
// Helm 3 without a Helm binary: helm-java (Helm embedded as a native library, from Maven
// Central) behind a small Java runner (deploy/helm-runner), for the chart's checks.
//
//   node scripts/helm.mjs lint CHART [--strict] [-f VALUES]...
//   node scripts/helm.mjs template CHART [--name N] [--namespace NS] [--kube-version V] [-f VALUES]... [--validate]
//   node scripts/helm.mjs fetch                      only download the jars
//
// `template` prints the manifests as `helm template` does, hooks included (helm-java itself
// leaves hooks out: the runner renders a copy of the chart in which the hook annotations are
// renamed, then names them back). `--validate` checks every object against the Kubernetes
// schemas, unknown fields included (scripts/lib/kube-manifests.mjs), and exits 1 on a problem.
// `lint -f` lints a copy of the chart whose values.yaml is the chart's values with the files
// merged over them, as Helm merges them (helm-java's lint reads the chart's values only).
//
// The jars are fetched once with Maven (deploy/helm-runner/pom.xml) into
//   ${HELM_JAVA_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/remote-help}/helm-java-<pom hash>
// Needs Java 17+ (the runner runs with Java's source launcher) and, for the first fetch, mvn.
//
// As a module: import { helmLint, helmTemplate } from './helm.mjs';

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { fetchMavenJars, pomHash, scriptsCacheRoot } from './lib/maven-jars.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RUNNER_DIR = path.join(HERE, '..', 'deploy', 'helm-runner');
const POM = path.join(RUNNER_DIR, 'pom.xml');
const RUNNER = path.join(RUNNER_DIR, 'HelmRunner.java');
/** The Kubernetes version `template` renders for (helm-java's own default is 1.20). */
export const KUBE_VERSION = '1.33.0';
const HOOK_ANNOTATION = 'helm.sh/hook';
const HOOK_STAND_IN = 'rendered-hook.remote-help.invalid/hook';

export class HelmError extends Error {
  constructor(message, output = '') {
    super(message);
    this.name = 'HelmError';
    this.output = output;
  }
}

export function libsDir() {
  const base = process.env.HELM_JAVA_CACHE_DIR ? path.resolve(process.env.HELM_JAVA_CACHE_DIR) : scriptsCacheRoot();
  return path.join(base, `helm-java-${pomHash(POM).slice(0, 16)}`);
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => resolve({ code: -1, stdout, stderr: `${stderr}${e.message}` }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Downloads the helm-java jars once (scripts/lib/maven-jars.mjs), returns their folder. */
export async function fetchJars({ log = (m) => process.stderr.write(`[helm] ${m}\n`) } = {}) {
  const libs = libsDir();
  await fetchMavenJars({
    pom: POM,
    dir: libs,
    what: 'helm-java',
    // The folder is named by the pom's hash: any finished fetch in it will do.
    valid: () => true,
    fail: (message) => new HelmError(message),
    log,
    inspect: (tmp, jars) => {
      if (!jars.some((j) => j.startsWith('helm-java-')) || !jars.some((j) => j.startsWith('linux-amd64-'))) {
        throw new HelmError(`mvn did not fetch helm-java and its linux-amd64 library into ${tmp} (got ${jars.join(', ')})`);
      }
      return {};
    },
  });
  return libs;
}

async function runner(args) {
  const libs = await fetchJars();
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  // helm-java extracts its native library into java.io.tmpdir.
  return run(java, ['-Xmx256m', '-cp', path.join(libs, '*'), RUNNER, ...args]);
}

/** Helm's coalescing of values: maps merge key by key, anything else replaces, null deletes. */
export function mergeValues(base, over) {
  if (!isMap(base) || !isMap(over)) return over;
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = k in out ? mergeValues(out[k], v) : v;
  }
  return out;
}

function isMap(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function readYaml(file) {
  return YAML.parse(fs.readFileSync(file, 'utf8'), { merge: true }) ?? {};
}

/** A temporary copy of the chart, changed by `edit(copyDir)`; removed by the returned cleanup. */
function chartCopy(chart, edit) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rh-helm-'));
  const copy = path.join(dir, path.basename(path.resolve(chart)));
  fs.cpSync(chart, copy, { recursive: true });
  edit(copy);
  return { copy, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `helm lint` (with `strict`, warnings fail too). Returns { ok, messages }: Helm's messages,
 * one per line ("[INFO] ...", "[WARNING] ...", "[ERROR] ...").
 */
export async function helmLint(chart, { strict = true, values = [] } = {}) {
  const { copy, cleanup } = values.length
    ? chartCopy(chart, (c) => {
        const merged = values.reduce((acc, f) => mergeValues(acc, readYaml(f)), readYaml(path.join(chart, 'values.yaml')));
        fs.writeFileSync(path.join(c, 'values.yaml'), YAML.stringify(merged));
      })
    : { copy: chart, cleanup: () => undefined };
  try {
    const r = await runner(['lint', copy, ...(strict ? ['--strict'] : [])]);
    if (r.code !== 0 && r.code !== 1) throw new HelmError(`helm lint could not run (exit ${r.code}): ${r.stderr.trim()}`);
    const messages = r.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    return { ok: r.code === 0, messages };
  } finally {
    cleanup();
  }
}

/** `helm template`: the rendered manifests, hooks included. A rendering error throws HelmError. */
export async function helmTemplate(chart, { name = 'remote-help', namespace = 'remote-help', kubeVersion = KUBE_VERSION, values = [] } = {}) {
  const { copy, cleanup } = chartCopy(chart, (c) => {
    const templates = path.join(c, 'templates');
    for (const f of fs.readdirSync(templates, { recursive: true })) {
      const file = path.join(templates, f);
      if (!fs.statSync(file).isFile()) continue;
      const text = fs.readFileSync(file, 'utf8');
      if (text.includes(HOOK_STAND_IN)) throw new HelmError(`${f} already names ${HOOK_STAND_IN}`);
      fs.writeFileSync(file, text.replaceAll(HOOK_ANNOTATION, HOOK_STAND_IN));
    }
  });
  try {
    const args = ['template', copy, '--name', name, '--namespace', namespace, '--kube-version', kubeVersion];
    for (const f of values) args.push('-f', path.resolve(f));
    const r = await runner(args);
    if (r.code !== 0) throw new HelmError(`helm template failed: ${r.stderr.trim()}`, r.stderr);
    return r.stdout.replaceAll(HOOK_STAND_IN, HOOK_ANNOTATION).replaceAll(copy, chart);
  } finally {
    cleanup();
  }
}

// ---------------------------------------------------------------- CLI

function parseCli(argv) {
  const [command, chart, ...rest] = argv;
  const o = { command, chart, values: [], strict: false, validate: false };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--strict') o.strict = true;
    else if (a === '--validate') o.validate = true;
    else if (a === '-f' || a === '--values') o.values.push(rest[++i]);
    else if (a === '--name') o.name = rest[++i];
    else if (a === '--namespace') o.namespace = rest[++i];
    else if (a === '--kube-version') o.kubeVersion = rest[++i];
    else throw new HelmError(`unknown option ${a}`);
  }
  return o;
}

async function main() {
  const o = parseCli(process.argv.slice(2));
  if (o.command === 'fetch') {
    process.stdout.write(`${await fetchJars()}\n`);
    return 0;
  }
  if (!['lint', 'template'].includes(o.command) || !o.chart) {
    process.stderr.write('usage: node scripts/helm.mjs lint CHART [--strict] [-f VALUES]... | template CHART [-f VALUES]... [--validate] | fetch\n');
    return 2;
  }
  if (o.command === 'lint') {
    const r = await helmLint(o.chart, { strict: o.strict, values: o.values });
    for (const m of r.messages) process.stdout.write(`${m}\n`);
    process.stdout.write(r.ok ? '1 chart(s) linted, 0 chart(s) failed\n' : 'Error: 1 chart(s) linted, 1 chart(s) failed\n');
    return r.ok ? 0 : 1;
  }
  const text = await helmTemplate(o.chart, o);
  process.stdout.write(text);
  if (!o.validate) return 0;
  const { parseManifests, validateManifests } = await import('./lib/kube-manifests.mjs');
  const objects = parseManifests(text);
  const problems = await validateManifests(objects);
  for (const p of problems) process.stderr.write(`invalid: ${p.object}: ${p.problem}\n`);
  process.stderr.write(`${objects.length} objects, ${problems.length} problem(s)\n`);
  return problems.length ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`helm: ${e.message}\n`);
      process.exit(1);
    },
  );
}
