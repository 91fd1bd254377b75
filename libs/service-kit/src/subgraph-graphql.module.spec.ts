import { ApolloServer } from '@apollo/server';
import { ApolloFederationDriver, type ApolloFederationDriverConfig } from '@nestjs/apollo';
import express, { type Express, type RequestHandler } from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { SubgraphDriver } from './subgraph-graphql.module';

/**
 * SubgraphDriver relies on how the pinned @nestjs/apollo mounts Apollo on Express (two handlers on
 * the GraphQL path, Apollo's last). Nest's own registration is replaced here by one that mounts
 * the given handlers the same way, so that both the swap and the refusal can be seen.
 */
describe('SubgraphDriver', () => {
  let apollo: ApolloServer<{ who: string }>;
  let server: Server | undefined;

  beforeAll(async () => {
    apollo = new ApolloServer<{ who: string }>({
      typeDefs: 'type Query { who: String! }',
      resolvers: { Query: { who: (_: unknown, __: unknown, ctx: { who: string }) => ctx.who } },
    });
    await apollo.start();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  afterAll(() => apollo.stop());

  /** A driver over a fresh Express app whose "Nest registration" mounts `handlers` on /graphql. */
  function driverMounting(handlers: RequestHandler[]): { driver: SubgraphDriver; app: Express } {
    const app = express();
    app.use(express.json());
    const driver = Object.create(SubgraphDriver.prototype) as SubgraphDriver;
    Object.assign(driver, { httpAdapterHost: { httpAdapter: { getInstance: () => app } } });
    // registerExpress is not in the driver's public typings (the same reason SubgraphDriver casts it)
    const proto = ApolloFederationDriver.prototype as unknown as { registerExpress(): Promise<void> };
    jest.spyOn(proto, 'registerExpress').mockImplementation(async function (this: unknown) {
      for (const h of handlers) app.use('/graphql', h);
      Object.assign(this as object, { apolloServer: apollo });
    });
    return { driver, app };
  }

  async function post(app: Express, query: string): Promise<{ status: number; body: unknown; type: string | null }> {
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server!.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    return { status: res.status, body: await res.json(), type: res.headers.get('content-type') };
  }

  const nestsApolloHandler: RequestHandler = (_req, res) => void res.status(418).json({ served: 'by the integration' });
  const defaultBody: RequestHandler = (req, _res, next) => {
    req.body ??= {};
    next();
  };

  it("serves GraphQL through graphqlMiddleware in place of Nest's Apollo handler, with the configured context", async () => {
    const { driver, app } = driverMounting([defaultBody, nestsApolloHandler]);
    const context = jest.fn(({ req }: { req: { headers: Record<string, string> } }) => ({ who: `caller of ${req.headers['content-type']}` }));
    await driver.registerExpress({ context } as unknown as ApolloFederationDriverConfig);

    const res = await post(app, '{ who }');
    expect(res).toEqual({ status: 200, body: { data: { who: 'caller of application/json' } }, type: expect.stringMatching(/^application\/json/) });
    expect(context).toHaveBeenCalledTimes(1);
  });

  it('answers GraphQL errors as Apollo does (status and body), not through Express', async () => {
    const { driver, app } = driverMounting([defaultBody, nestsApolloHandler]);
    await driver.registerExpress({ context: () => ({ who: 'x' }) } as unknown as ApolloFederationDriverConfig);

    const res = await post(app, '{ nope }');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [expect.objectContaining({ message: expect.stringContaining('Cannot query field "nope"'), extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) })] });
  });

  it.each([
    ['one handler', [nestsApolloHandler], 1],
    ['three handlers', [defaultBody, defaultBody, nestsApolloHandler], 3],
  ])('refuses to start when @nestjs/apollo mounts %s instead of two', async (_what, handlers, n) => {
    const { driver } = driverMounting(handlers);
    await expect(driver.registerExpress({} as ApolloFederationDriverConfig)).rejects.toThrow(`@nestjs/apollo mounted ${n} handlers for GraphQL, not the 2 this service replaces one of`);
  });
});
