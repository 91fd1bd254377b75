import type { ConfigOf, SubgraphConfig } from '@remote-help/service-kit';
import { parsers, subgraphConfigSpec } from '@remote-help/service-kit';

export { SERVICE_NAME } from './service-name';

const ms = (min: number, max: number) => parsers.int(min, max);
const DAY = 86_400_000;

/**
 * The common subgraph variables plus session-service's own: the session timers (all stored as
 * deadlines in the database, so they survive restarts; tests shorten them) and the chat stream.
 */
export const configSpec = {
  ...subgraphConfigSpec({ port: 4003, database: 'remote_help_session' }),
  SESSION_JOIN_TIMEOUT_MS: {
    description: 'how long a security code is valid: a session nobody joins within it expires',
    default: '600000',
    parse: ms(1000, DAY),
  },
  SESSION_CONSENT_TIMEOUT_MS: {
    description: 'how long the sharer has to accept or decline after joining; then the session expires',
    default: '300000',
    parse: ms(1000, DAY),
  },
  SESSION_UNATTENDED_START_MS: {
    description: 'an unattended session starts by itself this long after the request (unless the device accepts sooner)',
    default: '30000',
    parse: ms(0, DAY),
  },
  SESSION_HEARTBEAT_TIMEOUT_MS: {
    description: 'an active session ends (DISCONNECTED) when a party sends no heartbeat for this long',
    default: '60000',
    parse: ms(1000, DAY),
  },
  SESSION_SWEEP_INTERVAL_MS: {
    description: 'how often each instance looks for sessions whose timer is due',
    default: '1000',
    parse: ms(10, 60_000),
  },
  SESSION_JOIN_MAX_FAILURES: {
    description: 'wrong security codes a caller may enter within SESSION_JOIN_FAILURE_WINDOW_MS before being held off',
    default: '5',
    parse: parsers.int(1, 1000),
  },
  SESSION_JOIN_FAILURE_WINDOW_MS: {
    description: 'the window in which wrong security codes are counted',
    default: '60000',
    parse: ms(1000, DAY),
  },
  METRICS_TENANT_LABEL: {
    description: 'give the active-sessions metric a `tenant` label (for the METRICS_TENANT_LABEL_MAX tenants with the most; the rest as `other`)',
    default: 'false',
    parse: parsers.bool,
  },
  METRICS_TENANT_LABEL_MAX: {
    description: 'most tenants named in the active-sessions metric when METRICS_TENANT_LABEL is on',
    default: '20',
    parse: parsers.int(1, 1000),
  },
  CHAT_STREAM_HEARTBEAT_MS: {
    description: 'interval of the heartbeat comment on the internal chat stream (GET /internal/chat-stream)',
    default: '15000',
    parse: ms(100, 600_000),
  },
};

export type SessionServiceConfig = ConfigOf<typeof configSpec> & SubgraphConfig;

/** The session timers, as the service uses them. */
export interface SessionTimings {
  joinTimeoutMs: number;
  consentTimeoutMs: number;
  unattendedStartMs: number;
  heartbeatTimeoutMs: number;
  sweepIntervalMs: number;
  joinMaxFailures: number;
  joinFailureWindowMs: number;
  chatStreamHeartbeatMs: number;
}

export const SESSION_TIMINGS = Symbol('SESSION_TIMINGS');

export function timingsOf(c: SessionServiceConfig): SessionTimings {
  return {
    joinTimeoutMs: c.SESSION_JOIN_TIMEOUT_MS,
    consentTimeoutMs: c.SESSION_CONSENT_TIMEOUT_MS,
    unattendedStartMs: c.SESSION_UNATTENDED_START_MS,
    heartbeatTimeoutMs: c.SESSION_HEARTBEAT_TIMEOUT_MS,
    sweepIntervalMs: c.SESSION_SWEEP_INTERVAL_MS,
    joinMaxFailures: c.SESSION_JOIN_MAX_FAILURES,
    joinFailureWindowMs: c.SESSION_JOIN_FAILURE_WINDOW_MS,
    chatStreamHeartbeatMs: c.CHAT_STREAM_HEARTBEAT_MS,
  };
}
