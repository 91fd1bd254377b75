// Unit tests of @remote-help/tracing: `src/**/*.spec.ts`, beside the code.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'tracing',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
