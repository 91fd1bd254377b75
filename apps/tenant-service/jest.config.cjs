// Unit tests of @remote-help/tenant-service: `src/**/*.spec.ts`, beside the code.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'tenant-service',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
