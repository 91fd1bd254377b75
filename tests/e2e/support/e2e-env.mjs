// Environment of the processes an end-to-end run starts: every process (E2E_ENV) and by process
// name (E2E_ENV_FOR), e.g. timeouts shortened so that tests never sleep for minutes.
export const E2E_ENV = {
  LOG_LEVEL: 'info',
  OUTBOX_POLL_INTERVAL_MS: '200',
};

export const E2E_ENV_FOR = {
  // Session timers shortened (defaults: 10 min join, 5 min consent, 30 s unattended start, 60 s
  // heartbeat, sweep every 1 s); tests/e2e/sessions.e2e-spec.ts reads the same values.
  'session-service': {
    SESSION_JOIN_TIMEOUT_MS: '10000',
    SESSION_CONSENT_TIMEOUT_MS: '6000',
    SESSION_UNATTENDED_START_MS: '3000',
    SESSION_HEARTBEAT_TIMEOUT_MS: '10000',
    SESSION_SWEEP_INTERVAL_MS: '200',
  },
  // The shared gateway's session budgets raised: the race and lifecycle tests open many sessions
  // as one helper. The rate-limit tests start a gateway of their own with small limits.
  gateway: {
    RATE_LIMIT_SESSION_PER_CALLER: '1000',
    RATE_LIMIT_SESSION_PER_TENANT: '10000',
  },
};
