import { INestApplication, DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import * as fs from 'node:fs';
import { loadConfigOrExit } from './config';
import { openServiceDataSource, ServiceDataSourceOptions } from './database';
import { SubgraphConfig, subgraphConfigSpec } from './service-config';
import type { ServiceKeys } from './service-options';

/** The key material a service reads at start-up. */
export interface ServiceStartKeys {
  internalPublicKeyPem: string;
  serviceKeys: ServiceKeys;
}

/** Reads a key file named by a configuration variable, or stops with one clear line. */
export function readKeyFileOrExit(service: string, variable: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    process.stderr.write(`${service}: configuration error: ${variable}: cannot read "${file}" (\`npm start\` creates the keys; or point ${variable} at the key file)\n`);
    process.exit(1);
  }
}

/** Creates and starts a service's Nest application. */
export async function createServiceApp(appModule: DynamicModule): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(appModule, { bufferLogs: true });
  // The gateway accepts client bodies up to 1 MiB; what it forwards (queries, entity batches)
  // must fit here too.
  app.useBodyParser('json', { limit: '2mb' });
  // GraphQL answers POSTs, which no cache revalidates: an ETag (a hash of every body) is waste.
  app.set('etag', false);
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}

export async function runService(name: string, appModule: DynamicModule, host: string, port: number): Promise<INestApplication> {
  const app = await createServiceApp(appModule);
  // Outlive the gateway's idle keep-alive connections (see the gateway's server).
  const server = app.getHttpServer() as import('node:http').Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await app.listen(port, host);
  app.get(Logger).log(`${name} listening on http://${host}:${port}/graphql`);
  return app;
}

/** The `main.ts` of every subgraph service: validate the configuration, read the key, start. */
export function serviceMain(o: {
  name: string;
  configSpec: ReturnType<typeof subgraphConfigSpec>;
  appModule: (config: SubgraphConfig, keys: ServiceStartKeys) => DynamicModule;
}): void {
  const config = loadConfigOrExit(o.name, o.configSpec);
  const keys: ServiceStartKeys = {
    internalPublicKeyPem: readKeyFileOrExit(o.name, 'INTERNAL_JWT_PUBLIC_KEY_FILE', config.INTERNAL_JWT_PUBLIC_KEY_FILE),
    serviceKeys: {
      privateKeyPem: readKeyFileOrExit(o.name, 'SERVICE_JWT_PRIVATE_KEY_FILE', config.SERVICE_JWT_PRIVATE_KEY_FILE),
      publicKeyPem: readKeyFileOrExit(o.name, 'SERVICE_JWT_PUBLIC_KEY_FILE', config.SERVICE_JWT_PUBLIC_KEY_FILE),
    },
  };
  runService(o.name, o.appModule(config, keys), config.HOST, config.PORT).catch((e) => {
    process.stderr.write(`${o.name}: failed to start: ${(e as Error).message}\n`);
    process.exit(1);
  });
}

/** The `migrate.ts` of every service (`nx run <service>:migrate`): create the database if missing, apply pending migrations. */
export function migrateMain(o: { name: string; configSpec: ReturnType<typeof subgraphConfigSpec> } & Omit<ServiceDataSourceOptions, 'url'>): void {
  const { DATABASE_URL } = loadConfigOrExit(o.name, { DATABASE_URL: o.configSpec.DATABASE_URL });
  openServiceDataSource({ url: DATABASE_URL, entities: o.entities, migrations: o.migrations, poolSize: 2 })
    .then(async (ds) => {
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM migrations`);
      await ds.destroy();
      process.stderr.write(`${o.name}: database migrated (${n} migrations applied in all)\n`);
    })
    .catch((e) => {
      process.stderr.write(`${o.name}: migration failed: ${(e as Error).message}\n`);
      process.exit(1);
    });
}
