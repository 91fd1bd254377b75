import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { EventPipeline } from './event-pipeline';
import { KafkaHealth, withTimeout } from './kafka-health';
import { GracefulShutdown } from './shutdown';

@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaHealth,
    private readonly pipeline: EventPipeline,
    private readonly shutdown: GracefulShutdown,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /**
   * Ready: the database and Kafka answer, and every event consumer runs (joined, not crashed or
   * being rebuilt). While one does not, `consumersDown` names it and says for how long. From
   * SIGTERM on, not ready (`shuttingDown`), whatever the rest says.
   */
  @Get('ready')
  async ready(@Res() res: Response) {
    if (this.shutdown.draining) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE).json({ status: 'unavailable', shuttingDown: true });
      return;
    }
    const database = await withTimeout(this.dataSource.query('SELECT 1'), 2000).then(
      () => true,
      () => false,
    );
    const kafka = await this.kafka.check();
    const consumers = this.pipeline.consumersReady();
    const ok = database && kafka && consumers;
    const down = consumers ? {} : { consumersDown: this.pipeline.consumersDown().map(({ consumer, downForMs, rebuilds }) => ({ consumer, downForMs, rebuilds })) };
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({ status: ok ? 'ok' : 'unavailable', database, kafka, consumers, ...down });
  }
}
