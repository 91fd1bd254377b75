/** Reading Prometheus text (`GET /metrics`) in the end-to-end tests. */

/** The sum of the samples of `metric` whose labels include `labels` (undefined when there is none). */
export function metricValue(text: string, metric: string, labels: Record<string, string> = {}): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m || m[1] !== metric) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) sum = (sum ?? 0) + Number(m[3]);
  }
  return sum;
}

/** `metricValue` of a process's metrics endpoint now (0 when the metric has no sample). */
export async function scrapeValue(metricsUrl: string, metric: string, labels: Record<string, string> = {}): Promise<number> {
  const res = await fetch(metricsUrl);
  if (res.status !== 200) throw new Error(`${metricsUrl}: ${res.status}`);
  return metricValue(await res.text(), metric, labels) ?? 0;
}
