import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { stopTracing } from '@remote-help/tracing';

/** Sends the spans still buffered when the service stops (nothing to do when tracing is off). */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return stopTracing();
  }
}
