// Unit tests of @remote-help/auth: `src/**/*.spec.ts`, beside the code.
const preset = require('../../jest.preset.cjs');

module.exports = {
  ...preset,
  displayName: 'auth',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // jose 6 is ESM only: let swc turn it into CommonJS too (Jest's own require(esm)
  // needs --experimental-vm-modules). Any project whose tests load @remote-help/auth
  // needs the same `jose` entry.
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@apollo/server|@as-integrations|jose)/)'],
};
