import { stringify } from 'yaml';
import { z } from 'zod';
import { ENVELOPE_MAX_TEXT, ENVELOPE_TIME_PATTERN, type EventEnvelope } from '../event-envelope';
import { TOPICS, type TopicBase } from '../topics';
import { EVENT_CATALOGUE, EVENT_TYPES, type EventType } from './event-catalogue';
import { id, text } from './schema-fields';

/**
 * The published event catalogue, generated from the event schemas (EVENT_CATALOGUE): one JSON
 * Schema per event (the whole Kafka message value: envelope and data) and an AsyncAPI 3 document
 * with the topics, keys, headers and payloads. Checked in under docs/events and kept current by
 * catalogue-document.spec.ts; `npm run events:catalogue` writes them again. Not part of the
 * package's index: only the script and the tests load it (it needs the `yaml` dev dependency).
 */

/** Where the documents live, relative to the repository's root. */
export const CATALOGUE_DIR = 'docs/events';

/** The headers the outbox relay puts on every event message (outbox-relay.ts). */
const MESSAGE_HEADERS = {
  'event-type': 'The event type (the envelope\'s "type").',
  'event-id': 'The event id (the envelope\'s "id"); consumers de-duplicate on it.',
} as const;

/** Headers the outbox relay adds when tracing is on (W3C trace context; see trace-context.ts). */
const TRACE_HEADERS = {
  traceparent: 'W3C trace context of the request that caused the event (present when the producing service traces).',
  tracestate: 'W3C trace state, when the trace has any.',
} as const;

/** The headers a consumer puts on a message it sends to the dead-letter topic (idempotent-consumer.ts). */
const DEAD_LETTER_HEADERS = {
  reason: 'Why the message was refused: an envelope that does not parse, or an event that does not fit its contract.',
  'source-topic': 'The topic the message was read from.',
  partition: 'Its partition there.',
  offset: 'Its offset there.',
  'consumer-group': 'The consumer group that refused it.',
} as const;

/** Topics between the gateways' replicas only (their rate-limit usage): not for consumers outside the project. */
export const INTERNAL_TOPICS: ReadonlySet<TopicBase> = new Set([TOPICS.rateUsage]);
type PublishedTopic = Exclude<TopicBase, typeof TOPICS.rateUsage>;

/** What each published topic carries; its channel is named by its key in TOPICS. */
const TOPIC_DESCRIPTIONS: Record<PublishedTopic, string> = {
  [TOPICS.tenant]:
    "tenant-service's events: tenants, their Remote Help settings and their directory (users, licences, devices, groups). Snapshot events carry the whole aggregate and a version that grows by one per change.",
  [TOPICS.rbac]: "rbac-service's events: roles and role assignments as they are after each change.",
  [TOPICS.session]: "session-service's session lifecycle events, one per transition, in order per session. Each carries the whole session after the transition (never chat text).",
  [TOPICS.audit]: 'Audit events of every service: one line of the audit log each.',
  [TOPICS.reporting]: "reporting-service's derived facts for live dashboards.",
  [TOPICS.deadLetter]: 'Messages a consumer could not read (the message as it was, with why in its headers). Not an event topic: nothing here follows a contract.',
};

/** The envelope of an event of `type` with its data: what the Kafka message value holds. */
function eventMessageSchema(type: EventType) {
  const c = EVENT_CATALOGUE[type];
  const fields = {
    id: id().describe('UUID, unique per event; consumers de-duplicate on it.'),
    type: z.literal(type).describe('The event type.'),
    version: z.literal(c.version).describe('The schema version of "data".'),
    source: text(ENVELOPE_MAX_TEXT).describe('The service that emitted the event.'),
    tenantId: id().describe('The tenant the event belongs to.'),
    subject: text(ENVELOPE_MAX_TEXT).describe(`The aggregate id, also the Kafka message key: ${c.key}.`),
    time: z.string().regex(ENVELOPE_TIME_PATTERN).describe('When the event happened (ISO 8601 with a time zone).'),
    data: c.schema,
  } satisfies Record<keyof EventEnvelope, z.ZodType>;
  return z.object(fields).describe(c.summary);
}

/** The JSON Schema (draft-07) of one event's message, as consumers outside the project read it. */
export function eventJsonSchema(type: EventType): Record<string, unknown> {
  return { $id: schemaFileName(type), title: type, ...z.toJSONSchema(eventMessageSchema(type), { target: 'draft-07', io: 'input' }) };
}

/** The JSON Schema (draft-07) of an event's `data` alone. */
export function eventDataJsonSchema(type: EventType): Record<string, unknown> {
  return z.toJSONSchema(EVENT_CATALOGUE[type].schema, { target: 'draft-07', io: 'input' }) as Record<string, unknown>;
}

export function schemaFileName(type: EventType): string {
  return `${type}.v${EVENT_CATALOGUE[type].version}.schema.json`;
}

const headersSchema = (headers: Record<string, string>, optional: Record<string, string> = {}) => ({
  type: 'object',
  properties: Object.fromEntries(Object.entries({ ...headers, ...optional }).map(([name, description]) => [name, { type: 'string', description }])),
  required: Object.keys(headers),
});

/** The AsyncAPI 3.0 document of every topic and event (YAML). */
export function asyncApiDocument(): string {
  const withoutSchemaKeyword = ({ $schema: _s, $id: _i, ...rest }: Record<string, unknown>) => rest;
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const [name, topic] of Object.entries(TOPICS) as [string, TopicBase][]) {
    if (INTERNAL_TOPICS.has(topic)) continue;
    const description = TOPIC_DESCRIPTIONS[topic as PublishedTopic];
    // The dead-letter topic carries no event type of its own: its one message is any refused message.
    const refs: string[] = topic === TOPICS.deadLetter ? ['dead-letter'] : EVENT_TYPES.filter((t) => EVENT_CATALOGUE[t].topic === topic);
    channels[name] = {
      address: topic,
      title: topic,
      description: `${description} Deployments may put a prefix before the name (KAFKA_TOPIC_PREFIX).`,
      messages: Object.fromEntries(refs.map((m) => [m, { $ref: `#/components/messages/${m}` }])),
    };
    operations[`${name}Published`] = {
      action: 'send',
      title: `Events on ${topic}`,
      channel: { $ref: `#/channels/${name}` },
      messages: refs.map((m) => ({ $ref: `#/channels/${name}/messages/${m}` })),
    };
  }
  const messages: Record<string, unknown> = {};
  for (const type of EVENT_TYPES) {
    const c = EVENT_CATALOGUE[type];
    messages[type] = {
      name: type,
      title: type,
      summary: c.summary,
      description: `Key: ${c.key}. The JSON Schema of the whole message value: schemas/${schemaFileName(type)}.`,
      contentType: 'application/json',
      headers: headersSchema(MESSAGE_HEADERS, TRACE_HEADERS),
      payload: withoutSchemaKeyword(eventJsonSchema(type)),
      bindings: { kafka: { key: { type: 'string', description: c.key }, bindingVersion: '0.5.0' } },
    };
  }
  messages['dead-letter'] = {
    name: 'dead-letter',
    title: 'A refused message',
    summary: 'The message value as it was read (it may not even be JSON), with why it was refused.',
    headers: headersSchema(DEAD_LETTER_HEADERS),
    payload: {},
    bindings: { kafka: { key: { type: 'string', description: 'the key of the refused message' }, bindingVersion: '0.5.0' } },
  };
  const doc = {
    asyncapi: '3.0.0',
    info: {
      title: 'Remote Help events',
      version: '1.0.0',
      description: [
        'The Kafka topics of Remote Help and the events on them, for systems outside the project (a SIEM, a data warehouse) that consume them.',
        'Every message value is a JSON event envelope; its `data` follows the schema of the event type and version.',
        "Events of one aggregate (the message key, the envelope's `subject`) keep their order. Delivery is at least once: de-duplicate on the event id.",
        'Generated from the event schemas in libs/events (`npm run events:catalogue`); do not edit by hand.',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: { kafka: { host: 'kafka:9092', protocol: 'kafka', description: "The deployment's Kafka brokers." } },
    channels,
    operations,
    components: { messages },
  };
  return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Every file of the catalogue by its path relative to CATALOGUE_DIR, with its content. */
export function catalogueFiles(): Map<string, string> {
  const files = new Map<string, string>();
  files.set('asyncapi.yaml', asyncApiDocument());
  for (const type of EVENT_TYPES) files.set(`schemas/${schemaFileName(type)}`, `${JSON.stringify(eventJsonSchema(type), null, 2)}\n`);
  return files;
}
