// Unit tests of @remote-help/metrics: `src/**/*.spec.ts`, beside the code.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'metrics',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
