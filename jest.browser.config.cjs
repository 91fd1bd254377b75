// Browser tests: the admin console in Debian's Chromium (playwright-core, no browser download),
// against the whole system as the end-to-end global setup starts it.
const preset = require('./jest.preset.cjs');
module.exports = {
  ...preset,
  displayName: 'browser',
  rootDir: __dirname,
  roots: ['<rootDir>/tests/browser'],
  testMatch: ['**/*.browser-spec.ts'],
  globalSetup: '<rootDir>/tests/e2e/support/global-setup.mjs',
  globalTeardown: '<rootDir>/tests/e2e/support/global-teardown.mjs',
  setupFiles: ['<rootDir>/tests/e2e/support/fetch-setup.ts'],
  maxWorkers: 1,
  testTimeout: 120000,
};
