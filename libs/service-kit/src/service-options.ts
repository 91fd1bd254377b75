import type { EntitySchema, MixedList } from 'typeorm';
import type { SubgraphConfig } from './service-config';

export interface ServiceOptions {
  /** e.g. 'tenant-service': the log name, Kafka client id, and the audience of internal tokens. */
  name: string;
  config: SubgraphConfig;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** The public key (PEM) that verifies internal tokens, read at start-up. */
  internalPublicKeyPem: string;
}
