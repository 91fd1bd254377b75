import { startTracing } from '@remote-help/tracing';
import { SERVICE_NAME } from './service-name';

// The first import of main.ts: tracing (on when OTEL_EXPORTER_OTLP_ENDPOINT or another exporter
// is set) must patch http, pg, graphql and pino before anything else loads them.
startTracing(SERVICE_NAME);
