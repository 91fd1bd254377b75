/** Base topic names. Every service prefixes them (see {@link topicName}); tests use a random prefix. */
export const TOPICS = {
  tenant: 'remote-help.tenant.v1',
  rbac: 'remote-help.rbac.v1',
  session: 'remote-help.session.v1',
  audit: 'remote-help.audit.v1',
  /** reporting-service's derived facts for live dashboards (active session counts). */
  reporting: 'remote-help.reporting.v1',
  deadLetter: 'remote-help.dead-letter.v1',
  /** The gateways' rate-limit usage, shared between gateway replicas (not domain events: no envelope). */
  rateUsage: 'remote-help.gateway-rate-usage.v1',
} as const;

export type TopicBase = (typeof TOPICS)[keyof typeof TOPICS];

/**
 * Explicit partition counts, keyed by base topic name. Order is kept per key (aggregate id)
 * within a partition, so a count must never shrink, and growing it re-maps keys.
 */
export const TOPIC_PARTITIONS: Record<string, number> = {
  [TOPICS.tenant]: 3,
  [TOPICS.rbac]: 3,
  [TOPICS.session]: 6,
  [TOPICS.audit]: 3,
  [TOPICS.reporting]: 3,
  [TOPICS.deadLetter]: 1,
  [TOPICS.rateUsage]: 1,
};

/** Topic settings other than the broker's defaults, keyed by base topic name. */
export const TOPIC_CONFIGS: Record<string, { name: string; value: string }[]> = {
  // Read live only (gateways start at the end): an hour is plenty.
  [TOPICS.rateUsage]: [{ name: 'retention.ms', value: String(60 * 60 * 1000) }],
};

const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** `prefix + base`, checked against Kafka's rules for topic names (legal characters, at most 249). */
export function topicName(prefix: string, base: string): string {
  if (typeof prefix !== 'string') throw new TypeError('topic prefix must be a string');
  if (typeof base !== 'string' || base.length === 0) throw new TypeError('base topic name must be a non-empty string');
  const name = prefix + base;
  if (!LEGAL.test(name)) throw new TypeError(`illegal Kafka topic name "${name}": only letters, digits, ".", "_" and "-" are allowed`);
  if (name.length > 249) throw new TypeError(`Kafka topic name "${name.slice(0, 40)}…" is longer than 249 characters`);
  return name;
}

/** Whether `base` is one of {@link TOPICS}. */
export function isKnownTopic(base: string): base is TopicBase {
  return Object.prototype.hasOwnProperty.call(TOPIC_PARTITIONS, base);
}
