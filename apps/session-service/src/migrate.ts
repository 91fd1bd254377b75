import 'reflect-metadata';
import { migrateMain } from '@remote-help/service-kit';
import { configSpec, SERVICE_NAME } from './config';
import { ENTITIES, MIGRATIONS } from './data-source';

migrateMain({ name: SERVICE_NAME, configSpec, entities: ENTITIES, migrations: MIGRATIONS });
