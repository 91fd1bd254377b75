// Repository-level unit tests (`tests/unit/*.spec.ts`): packaging and documentation checks.
module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'repo',
  rootDir: __dirname,
  testMatch: ['<rootDir>/unit/**/*.spec.ts'],
};
