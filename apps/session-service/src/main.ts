import './tracing';
import 'reflect-metadata';
import { serviceMain } from '@remote-help/service-kit';
import { AppModule } from './app.module';
import type { SessionServiceConfig } from './config';
import { configSpec, SERVICE_NAME } from './config';

serviceMain({ name: SERVICE_NAME, configSpec, appModule: (config, keys) => AppModule.forRoot(config as SessionServiceConfig, keys) });
