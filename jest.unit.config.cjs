// Unit tests: pure logic beside the code (`*.spec.ts`), no database, no broker. One Jest
// project per Nx project (each also runs alone with `nx test <project>`), run in parallel.
const projects = ['auth', 'events', 'service-kit', 'domain', 'metrics', 'tracing']
  .map((l) => `<rootDir>/libs/${l}/jest.config.cjs`)
  .concat(['gateway', 'tenant-service', 'rbac-service', 'session-service', 'reporting-service'].map((a) => `<rootDir>/apps/${a}/jest.config.cjs`))
  .concat(['<rootDir>/tests/jest.config.cjs']);
module.exports = { rootDir: __dirname, projects };
