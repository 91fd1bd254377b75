import './tracing';
import 'reflect-metadata';
import { serviceMain } from '@remote-help/service-kit';
import { AppModule } from './app.module';
import { configSpec, type RbacConfig, SERVICE_NAME } from './config';

// serviceMain validates every variable of configSpec (the subgraph's and rbac's own).
serviceMain({ name: SERVICE_NAME, configSpec, appModule: (config, keys) => AppModule.forRoot(config as RbacConfig, keys) });
