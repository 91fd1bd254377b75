// Integration tests: real PostgreSQL and a real Kafka broker (`*.int-spec.ts`). One worker:
// they share the broker and the database server.
const preset = require('./jest.preset.cjs');
module.exports = {
  ...preset,
  displayName: 'integration',
  rootDir: __dirname,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/scripts'],
  testMatch: ['**/*.int-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  maxWorkers: 1,
  testTimeout: 60000,
};
