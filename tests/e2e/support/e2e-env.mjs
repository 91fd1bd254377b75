// Environment of the processes an end-to-end run starts: every process (E2E_ENV) and by process
// name (E2E_ENV_FOR), e.g. timeouts shortened so that tests never sleep for minutes.
export const E2E_ENV = {
  LOG_LEVEL: 'info',
  OUTBOX_POLL_INTERVAL_MS: '200',
};

export const E2E_ENV_FOR = {};
