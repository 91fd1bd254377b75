import { randomUUID } from 'node:crypto';
import { isUuid } from '@remote-help/domain';

/**
 * The one shape of every domain event on Kafka and in the outbox.
 * `subject` is the aggregate id and the Kafka message key: events of one aggregate land on
 * one partition and keep their order.
 */
export interface EventEnvelope<T = unknown> {
  /** UUID, unique per event; consumers de-duplicate on it. */
  id: string;
  /** Dotted event type, e.g. `tenant.created`. */
  type: string;
  /** Schema version of `data` (integer >= 1). */
  version: number;
  /** Name of the service that emitted the event. */
  source: string;
  tenantId: string;
  /** Aggregate id; the Kafka key. */
  subject: string;
  /** ISO 8601 timestamp. */
  time: string;
  data: T;
}

/** Thrown when an envelope cannot be built or parsed; `reason` says exactly what is wrong. */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
  constructor(
    readonly reason: string,
    readonly field?: string,
  ) {
    super(`Invalid event envelope: ${reason}`);
  }
}

// `tenant.created`, `rbac.role-assigned`, `session.status_changed`: at least two dot-separated segments.
const ENVELOPE_TYPE_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/;
/** An envelope's `time`: ISO 8601 with a time zone. */
export const ENVELOPE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
/** The longest `source`, `tenantId` and `subject`. */
export const ENVELOPE_MAX_TEXT = 500;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return v.length === 0 ? 'empty string' : `string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v)}`;
  if (typeof v === 'number') return `number ${v}`;
  return typeof v;
}

function requireText(o: Record<string, unknown>, field: string): string {
  if (!(field in o) || o[field] === undefined) throw new EnvelopeError(`missing field "${field}"`, field);
  const v = o[field];
  if (typeof v !== 'string' || v.trim().length === 0) {
    throw new EnvelopeError(`field "${field}" must be a non-empty string, got ${describe(v)}`, field);
  }
  if (v.length > ENVELOPE_MAX_TEXT) throw new EnvelopeError(`field "${field}" is longer than ${ENVELOPE_MAX_TEXT} characters`, field);
  return v;
}

/**
 * Checks an already-decoded value and returns a clean envelope (known fields only).
 * Throws {@link EnvelopeError} naming the first problem found.
 */
export function validateEnvelope(value: unknown): EventEnvelope {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new EnvelopeError(`envelope must be a JSON object, got ${describe(value)}`);
  }
  const o = value as Record<string, unknown>;

  const id = requireText(o, 'id');
  if (!isUuid(id)) throw new EnvelopeError(`field "id" must be a UUID, got ${describe(id)}`, 'id');

  const type = requireText(o, 'type');
  if (!ENVELOPE_TYPE_PATTERN.test(type)) {
    throw new EnvelopeError(`field "type" must look like "aggregate.event" (e.g. "tenant.created"), got ${describe(type)}`, 'type');
  }

  if (!('version' in o) || o.version === undefined) throw new EnvelopeError('missing field "version"', 'version');
  const version = o.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new EnvelopeError(`field "version" must be an integer >= 1, got ${describe(version)}`, 'version');
  }

  const source = requireText(o, 'source');
  const tenantId = requireText(o, 'tenantId');
  const subject = requireText(o, 'subject');

  const time = requireText(o, 'time');
  if (!ENVELOPE_TIME_PATTERN.test(time) || Number.isNaN(Date.parse(time))) {
    throw new EnvelopeError(`field "time" must be an ISO 8601 timestamp with a time zone, got ${describe(time)}`, 'time');
  }

  if (!('data' in o) || o.data === undefined) throw new EnvelopeError('missing field "data"', 'data');

  return { id, type, version, source, tenantId, subject, time, data: o.data };
}

/** Builds a new envelope with a fresh UUID; validates it like {@link parseEnvelope} does. */
export function createEvent<T>(e: { type: string; version?: number; source: string; tenantId: string; subject: string; data: T; time?: Date }): EventEnvelope<T> {
  const when = e.time ?? new Date();
  if (!(when instanceof Date) || Number.isNaN(when.getTime())) throw new EnvelopeError('"time" must be a valid Date', 'time');
  const envelope = {
    id: randomUUID(),
    type: e.type,
    version: e.version ?? 1,
    source: e.source,
    tenantId: e.tenantId,
    subject: e.subject,
    time: when.toISOString(),
    data: e.data,
  };
  validateEnvelope(envelope);
  if (JSON.stringify(envelope.data) === undefined) throw new EnvelopeError('field "data" is not JSON-serialisable', 'data');
  return envelope;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a Kafka message value into an envelope. Throws {@link EnvelopeError} with a clear
 * reason for a missing value, bad UTF-8, bad JSON, or a missing or mistyped field.
 */
export function parseEnvelope(raw: Buffer | string | null): EventEnvelope {
  if (raw === null || raw === undefined) throw new EnvelopeError('message has no value (null)');
  let text: string;
  if (typeof raw === 'string') {
    text = raw;
  } else if (Buffer.isBuffer(raw)) {
    try {
      text = utf8.decode(raw);
    } catch {
      throw new EnvelopeError('message value is not valid UTF-8');
    }
  } else {
    throw new EnvelopeError(`message value must be a Buffer or a string, got ${describe(raw)}`);
  }
  if (text.trim().length === 0) throw new EnvelopeError('message value is empty');
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
  } catch (err) {
    throw new EnvelopeError(`message value is not valid JSON (${(err as Error).message})`);
  }
  return validateEnvelope(decoded);
}
