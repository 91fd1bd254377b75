import './tracing';
import 'reflect-metadata';
import { serviceMain } from '@remote-help/service-kit';
import { AppModule } from './app.module';
import { configSpec, type ReportingConfig, SERVICE_NAME } from './config';

// serviceMain validates every variable of configSpec (the subgraph's and reporting's own).
serviceMain({ name: SERVICE_NAME, configSpec, appModule: (config, keys) => AppModule.forRoot(config as ReportingConfig, keys) });
