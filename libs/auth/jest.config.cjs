// Unit tests of @remote-help/auth: `src/**/*.spec.ts`, beside the code.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'auth',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
