// End-to-end tests: the four subgraphs and the gateway run as real processes (built output),
// started once per run by the global setup, and every test talks to the gateway over HTTP/WS.
const preset = require('./jest.preset.cjs');
module.exports = {
  ...preset,
  displayName: 'e2e',
  rootDir: __dirname,
  roots: ['<rootDir>/tests/e2e'],
  testMatch: ['**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/tests/e2e/support/global-setup.mjs',
  globalTeardown: '<rootDir>/tests/e2e/support/global-teardown.mjs',
  setupFiles: ['<rootDir>/tests/e2e/support/fetch-setup.ts'],
  maxWorkers: 1,
  testTimeout: 60000,
};
