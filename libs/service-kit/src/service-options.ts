import type { Type } from '@nestjs/common';
import type { AdminPermissionSource } from './admin-permissions';
import type { EntityList, MigrationList } from './database';
import type { SubgraphConfig } from './service-config';

export interface ServiceOptions {
  /** e.g. 'tenant-service': the log name, Kafka client id, and the audience of internal tokens. */
  name: string;
  config: SubgraphConfig;
  entities: EntityList;
  migrations: MigrationList;
  /** Read at start-up: verifies the gateway's internal tokens. */
  internalPublicKeyPem: string;
  /** Read at start-up: sign and verify service-to-service tokens. */
  serviceKeys: ServiceKeys;
  /** Where the admin permissions of a caller come from (default: rbac-service, asked over HTTP). */
  adminPermissionSource?: Type<AdminPermissionSource>;
}

export interface ServiceKeys {
  privateKeyPem: string;
  publicKeyPem: string;
}
