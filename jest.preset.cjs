// Shared Jest settings: swc turns TypeScript (with decorator metadata, which Nest's
// dependency injection needs) and the ESM-only NestJS/Apollo packages into CommonJS.
const path = require('node:path');
const root = __dirname;
const libs = ['auth', 'events', 'service-kit', 'domain', 'metrics', 'tracing'];

module.exports = {
  testEnvironment: 'node',
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@apollo/server|@as-integrations|jose)/)'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper: Object.fromEntries(
    libs.flatMap((lib) => [
      [`^@remote-help/${lib}$`, path.join(root, 'libs', lib, 'src', 'index.ts')],
      [`^@remote-help/${lib}/testing$`, path.join(root, 'libs', lib, 'src', 'testing', 'index.ts')],
    ]),
  ),
};
