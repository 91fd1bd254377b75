// Puts session lifecycle events on Kafka as session-service's outbox relay does (the same
// envelope from libs/events' buildEvent, SessionFacts data, key = session id, headers
// event-type / event-id, acks = all), from a process of its own. Input: JSON in argv[2]:
//   { brokers, topicPrefix, tenantId, sessions, helpers, window, sliceFile, sliceEvery }
//   or { brokers, topicPrefix, resendFile } to publish again the events saved in resendFile.
// Each session is attended: requested, joined, started, ended (4 events, versions 1..4, each
// with the audit line of its transition, which reporting writes to its audit log). Sessions
// go out in windows of `window` sessions, one transition of the whole window at a time, so
// that a fetch holds events of many sessions (as under real load), not whole lifecycles.
// Output (stdout, one JSON line): { events, sessions, firstSendAt, lastAckAt, totalDurationSeconds }.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs from '../../scripts/lib/kafkajs.mjs';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { Kafka, logLevel, Partitioners } = kafkajs;
const { buildEvent, SESSION_EVENTS, sessionAuditDetails, TOPICS, topicName } = require(path.join(ROOT, 'libs/events/dist/index.js'));

const opts = JSON.parse(process.argv[2]);
const kafka = new Kafka({ clientId: 'bench-reporting-produce', brokers: opts.brokers, logLevel: logLevel.NOTHING });
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
await producer.connect();
const topic = topicName(opts.topicPrefix, TOPICS.session);
const toMessage = (e) => ({ key: e.subject, value: JSON.stringify(e), headers: { 'event-type': e.type, 'event-id': e.id } });
const CHUNK = 2500;
const send = (events) => producer.send({ topic, acks: -1, messages: events.map(toMessage) });

if (opts.resendFile) {
  const events = JSON.parse(fs.readFileSync(opts.resendFile, 'utf8'));
  for (let i = 0; i < events.length; i += CHUNK) await send(events.slice(i, i + CHUNK));
  await producer.disconnect();
  process.stdout.write(JSON.stringify({ events: events.length }) + '\n');
  process.exit(0);
}

const uuidOf = (prefix, i) => `${prefix}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
const now = Date.now();
let sent = 0;
let totalDurationSeconds = 0;
const slice = [];
let firstSendAt = 0;

/** The four events of one session, each with the whole session after its transition (SessionFacts). */
function lifecycle(i) {
  const t0 = now - 3_600_000 - ((i * 7919) % (2 * 86_400_000)); // within the last two days
  const helperId = uuidOf('aaaaaaaa', 1 + (i % opts.helpers));
  const sharerId = uuidOf('bbbbbbbb', 1 + (i % 5000));
  const mode = i % 3 === 0 ? 'FULL_CONTROL' : 'VIEW_ONLY';
  const duration = 60 + (i % 1800);
  totalDurationSeconds += duration;
  const startedAt = new Date(t0 + 30_000);
  let facts = {
    sessionId: randomUUID(),
    tenantId: opts.tenantId,
    helperId,
    sharerId: null,
    deviceId: uuidOf('cccccccc', 1 + (i % 20000)),
    platform: 'WINDOWS',
    deviceEnrolled: true,
    requestedMode: mode,
    mode,
    state: 'WAITING_FOR_SHARER',
    elevated: false,
    chatEnabled: true,
    chatUsed: false,
    reason: `INC-${i}`,
    requestedAt: new Date(t0).toISOString(),
    startedAt: null,
    endedAt: null,
    endReason: null,
    actorId: helperId,
    version: 1,
  };
  const events = [];
  // each with the audit line of its transition, as session-service writes them
  const emit = (type, change, at, activity) => {
    facts = { ...facts, ...change, version: events.length + 1 };
    const audit = { category: 'RemoteHelp', activity, actorKind: 'user', details: sessionAuditDetails(facts) };
    events.push(buildEvent(type, { source: 'session-service', tenantId: opts.tenantId, subject: facts.sessionId, data: { ...facts, audit }, time: at }));
  };
  emit(SESSION_EVENTS.requested, {}, new Date(t0), 'Request remote help session');
  emit(SESSION_EVENTS.joined, { sharerId, state: 'PENDING_CONSENT', actorId: sharerId }, new Date(t0 + 10_000), 'Join remote help session');
  emit(SESSION_EVENTS.started, { state: 'ACTIVE', startedAt: startedAt.toISOString(), actorId: sharerId }, startedAt, 'Start remote help session');
  const endedAt = new Date(startedAt.getTime() + duration * 1000);
  emit(SESSION_EVENTS.ended, { state: 'ENDED', endedAt: endedAt.toISOString(), endReason: 'HELPER_ENDED', actorId: helperId }, endedAt, 'End remote help session');
  return events;
}

for (let w = 0; w < opts.sessions; w += opts.window) {
  const lifecycles = [];
  for (let i = w; i < Math.min(opts.sessions, w + opts.window); i++) lifecycles.push(lifecycle(i));
  for (let step = 0; step < 4; step++) {
    const events = lifecycles.map((l) => l[step]);
    for (const [k, e] of events.entries()) if ((sent + k) % opts.sliceEvery === 0) slice.push(e);
    for (let i = 0; i < events.length; i += CHUNK) {
      if (!firstSendAt) firstSendAt = Date.now();
      await send(events.slice(i, i + CHUNK));
    }
    sent += events.length;
  }
}
const lastAckAt = Date.now();
await producer.disconnect();
if (opts.sliceFile) fs.writeFileSync(opts.sliceFile, JSON.stringify(slice));
process.stdout.write(JSON.stringify({ events: sent, sessions: opts.sessions, firstSendAt, lastAckAt, totalDurationSeconds, slice: slice.length }) + '\n');
