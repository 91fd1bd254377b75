import { INestApplication, DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import * as fs from 'node:fs';
import { loadConfigOrExit } from './config';
import { openServiceDataSource, ServiceDataSourceOptions } from './database';
import { SubgraphConfig, subgraphConfigSpec } from './service-config';

/** Reads a key file named by a configuration variable, or stops with one clear line. */
export function readKeyFileOrExit(service: string, variable: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    process.stderr.write(`${service}: configuration error: ${variable}: cannot read "${file}" (start the system with \`npm start\`, which creates the keys, or point ${variable} at the gateway's public key)\n`);
    process.exit(1);
  }
}

/** Creates and starts a service's Nest application. */
export async function createServiceApp(appModule: DynamicModule): Promise<INestApplication> {
  const app = await NestFactory.create(appModule, { bufferLogs: true });
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
  appModule: (config: SubgraphConfig, internalPublicKeyPem: string) => DynamicModule;
}): void {
  const config = loadConfigOrExit(o.name, o.configSpec);
  const publicKey = readKeyFileOrExit(o.name, 'INTERNAL_JWT_PUBLIC_KEY_FILE', config.INTERNAL_JWT_PUBLIC_KEY_FILE);
  runService(o.name, o.appModule(config, publicKey), config.HOST, config.PORT).catch((e) => {
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
