// Scenario 4: from the moment `respondToSession(accept)` returns to the moment a subscribed
// dashboard (graphql-ws, the tenant administrator) receives the raised `activeSessionCount`, over
// 1,000 sessions; also end -> lowered count. The path measured: session-service commits the
// transition and its outbox row -> outbox relay -> Kafka -> reporting-service applies it and
// writes the new count through its outbox -> Kafka -> gateway -> WebSocket. Driven and timed in one
// worker process (bench/workers/dashboard-latency.mjs) on a tenant of its own; each accept waits
// for the dashboard to show it before the next, so that each raised count is attributable to
// one accept and no accept queues behind another. A first wave warms up and is not counted;
// before it, the harness waits until earlier load has drained from the outboxes and Kafka. Every
// later wave counts: a failed call or an update the dashboard never receives fails the scenario.
import { SESSION_QUERIES, setUpHelpDesk, waitUntilDrained } from '../lib/session-setup.mjs';
import { percentile, round1, runWorker } from '../lib/session-workers.mjs';

const TARGET_P99_MS = 250;

export default {
  name: 'start-to-dashboard',
  description: 'accept returned -> subscribed dashboard receives the new activeSessionCount, over 1,000 sessions',
  async run(ctx) {
    const { quick } = ctx;
    const sessions = quick ? 10 : 1000;
    const wave = quick ? 5 : 20;
    const warmup = quick ? 0 : wave;
    const { tenant, pairs } = await setUpHelpDesk(ctx, wave);
    // Earlier load (session-throughput) may still be in the outboxes and on Kafka: a backlog in
    // reporting-service would be measured as latency. Wait until every consumer has caught up.
    const drainMs = await waitUntilDrained(ctx);
    const kafka = { brokers: String(ctx.run.kafka.brokers).split(','), topicPrefix: ctx.run.topicPrefix };
    const r = await runWorker('dashboard-latency.mjs', { gatewayUrl: ctx.run.system.gatewayUrl, adminToken: tenant.adminToken, tenantId: tenant.tenantId, kafka, pairs, sessions, wave, warmup, queries: SESSION_QUERIES });
    if (r.accept.length !== sessions || r.end.length !== sessions) throw new Error(`${r.accept.length} accepts and ${r.end.length} ends measured, not ${sessions} of each`);
    const row = (what, list) => ({ scenario: 'start-to-dashboard', what, sessions: list.length, wave, drainMs, p50: round1(percentile(list, 50)), p99: round1(percentile(list, 99)), max: round1(Math.max(...list)) });
    const accept = row('accept -> count raised', r.accept);
    const end = row('end -> count lowered (ends back to back)', r.end);
    return {
      // Where an accept's latency goes, as a Kafka consumer of the harness sees the events (its own
      // fetch adds a little to the first hop and takes it from the last).
      rows: [
        accept,
        ...(r.hops.relay.length
          ? [
              row('  hop: accept -> session.started on Kafka (session-service outbox relay)', r.hops.relay),
              row('  hop: -> new count on Kafka (reporting-service: consume, apply, outbox relay)', r.hops.reporting),
              row('  hop: -> dashboard (gateway: consume, push over WebSocket)', r.hops.gateway),
            ]
          : []),
        end,
      ],
      ratios: { p99VsTarget: Math.round((accept.p99 / TARGET_P99_MS) * 100) / 100 },
      targets: { [`p99 at most ${TARGET_P99_MS} ms`]: accept.p99 <= TARGET_P99_MS },
    };
  },
};
