import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProcessMetrics } from '@remote-help/metrics';

/**
 * The Prometheus alerting rules and the Grafana dashboard in deploy/observability: the rules pass
 * `promtool check rules` and their own `promtool test rules`, and every `remote_help_` series the
 * rules and the dashboard use is one the processes export (so neither drifts from the code).
 */
const DIR = path.resolve(__dirname, '..', '..', 'deploy', 'observability');
const RULES = path.join(DIR, 'prometheus', 'alerts.yml');
const DASHBOARD = path.join(DIR, 'grafana', 'remote-help.json');

function promtool(...args: string[]) {
  const r = spawnSync('promtool', args, { encoding: 'utf8', cwd: path.dirname(RULES) });
  if (r.error) throw new Error(`promtool (Debian's prometheus package; .ci/run installs it) could not run: ${r.error.message}`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The names of every series the processes export (histograms with their _bucket, _count and _sum). */
async function exported(): Promise<Set<string>> {
  const m = new ProcessMetrics({ service: 'x' });
  m.trackOutbox(async () => ({ events: 0, oldestAgeSeconds: 0 }));
  m.trackActiveSessions(async () => []);
  const names = new Set<string>();
  for (const metric of await m.registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram') for (const s of ['_bucket', '_count', '_sum']) names.add(metric.name + s);
  }
  return names;
}

const usedIn = (text: string) => new Set([...text.matchAll(/\b(remote_help_[a-z_]+|nodejs_[a-z0-9_]+)/g)].map((m) => m[1]));

describe('deploy/observability', () => {
  it('alerts.yml passes promtool check rules', () => {
    expect(promtool('check', 'rules', RULES)).toEqual({ status: 0, out: expect.stringContaining('SUCCESS') });
  });

  it('alerts.yml passes its promtool unit tests (outbox age, consumer lag, error rate)', () => {
    const r = promtool('test', 'rules', 'alerts.test.yml');
    expect(r.out).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('has the alerts the operators need', () => {
    const rules = fs.readFileSync(RULES, 'utf8');
    for (const alert of ['RemoteHelpConsumerLagGrowing', 'RemoteHelpOutboxStale', 'RemoteHelpGraphQLErrorRate']) expect(rules).toContain(`alert: ${alert}`);
    expect(rules).toMatch(/remote_help_outbox_oldest_event_age_seconds\) > 60/);
  });

  it('the rules and the dashboard use only series the processes export', async () => {
    const names = await exported();
    for (const file of [RULES, DASHBOARD]) {
      const unknown = [...usedIn(fs.readFileSync(file, 'utf8'))].filter((n) => !names.has(n));
      expect({ file: path.basename(file), unknown }).toEqual({ file: path.basename(file), unknown: [] });
    }
  });

  it('the dashboard is Grafana JSON with panels for sessions, latency, errors, consumer lag and outbox age', () => {
    const d = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8'));
    expect(d).toMatchObject({ uid: 'remote-help', title: 'Remote Help', panels: expect.any(Array) });
    const exprs = (d.panels as { targets?: { expr: string }[] }[]).flatMap((p) => p.targets ?? []).map((t) => t.expr);
    for (const metric of [
      'remote_help_active_sessions',
      'remote_help_graphql_request_duration_seconds_bucket',
      'remote_help_graphql_errors_total',
      'remote_help_kafka_consumer_lag_messages',
      'remote_help_outbox_oldest_event_age_seconds',
    ]) {
      expect(exprs.some((e) => e.includes(metric))).toBe(true);
    }
    // Panels do not overlap.
    const cells = new Set<string>();
    for (const p of d.panels as { gridPos: { x: number; y: number; w: number; h: number } }[]) {
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });
});
