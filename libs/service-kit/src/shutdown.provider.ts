import { Logger, type Provider } from '@nestjs/common';
import type { ServiceOptions } from './service-options';
import { GracefulShutdown } from './shutdown';
import { SERVICE_OPTIONS } from './tokens';

/** The service's GracefulShutdown (readiness reads it; `runService` starts it on SIGTERM). */
export const gracefulShutdownProvider: Provider = {
  provide: GracefulShutdown,
  inject: [SERVICE_OPTIONS],
  useFactory: (options: ServiceOptions) => {
    const log = new Logger('Shutdown');
    return GracefulShutdown.fromConfig(options.config, { info: (m) => log.log(m), error: (m) => log.error(m) });
  },
};
