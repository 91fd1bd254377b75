import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The workspace's dependency rules: apps import libs, libs never import apps, and the libs
 * do not import each other in a cycle. Read from the source, so a new import is checked too.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const APPS = fs.readdirSync(path.join(ROOT, 'apps'));
const LIBS = fs.readdirSync(path.join(ROOT, 'libs'));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : sourceFiles(p);
    return /\.(ts|mjs|cjs|js)$/.test(e.name) ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

function libDeps(lib: string): Set<string> {
  const deps = new Set<string>();
  for (const f of sourceFiles(path.join(ROOT, 'libs', lib, 'src'))) {
    for (const spec of importsOf(f)) {
      const m = /^@remote-help\/([a-z-]+)/.exec(spec);
      if (m && m[1] !== lib) deps.add(m[1]);
    }
  }
  return deps;
}

describe('workspace dependency rules', () => {
  it.each(LIBS)('lib %s imports no app', (lib) => {
    const offenders: string[] = [];
    for (const f of sourceFiles(path.join(ROOT, 'libs', lib, 'src'))) {
      for (const spec of importsOf(f)) {
        const app = APPS.find((a) => spec === `@remote-help/${a}` || spec.startsWith(`@remote-help/${a}/`) || spec.includes(`apps/${a}`));
        if (app) offenders.push(`${path.relative(ROOT, f)} -> ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it.each(APPS)('app %s imports no other app', (app) => {
    const offenders: string[] = [];
    for (const f of sourceFiles(path.join(ROOT, 'apps', app, 'src'))) {
      for (const spec of importsOf(f)) {
        const other = APPS.find((a) => a !== app && (spec.startsWith(`@remote-help/${a}`) || spec.includes(`apps/${a}/`) || spec.includes(`../${a}/`)));
        if (other) offenders.push(`${path.relative(ROOT, f)} -> ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('libs import each other without a cycle', () => {
    const graph = Object.fromEntries(LIBS.map((l) => [l, [...libDeps(l)]]));
    const state: Record<string, 'visiting' | 'done'> = {};
    const cycles: string[] = [];
    const visit = (n: string, trail: string[]) => {
      if (state[n] === 'done') return;
      if (state[n] === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(n)), n].join(' -> '));
        return;
      }
      state[n] = 'visiting';
      for (const d of graph[n] ?? []) visit(d, [...trail, n]);
      state[n] = 'done';
    };
    LIBS.forEach((l) => visit(l, []));
    expect(cycles).toEqual([]);
  });

  it('every workspace package declares the libs it imports', () => {
    const undeclared: string[] = [];
    for (const [kind, names] of [
      ['apps', APPS],
      ['libs', LIBS],
    ] as const) {
      for (const name of names) {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, kind, name, 'package.json'), 'utf8'));
        const declared = new Set(Object.keys(pkg.dependencies ?? {}));
        const used = new Set<string>();
        for (const f of sourceFiles(path.join(ROOT, kind, name, 'src'))) {
          if (/\.(spec|int-spec|e2e-spec)\.ts$/.test(f)) continue;
          for (const spec of importsOf(f)) {
            const m = /^(@remote-help\/[a-z-]+)/.exec(spec);
            if (m && m[1] !== pkg.name) used.add(m[1]);
          }
        }
        for (const u of used) if (!declared.has(u)) undeclared.push(`${kind}/${name} uses ${u}`);
      }
    }
    expect(undeclared).toEqual([]);
  });
});
