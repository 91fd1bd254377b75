// Unit tests of @remote-help/gateway: `src/**/*.spec.ts`, beside the code.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'gateway',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
