import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { EventPipeline } from './event-pipeline';
import { KafkaHealth, withTimeout } from './kafka-health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaHealth,
    private readonly pipeline: EventPipeline,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /**
   * Ready: the database and Kafka answer, and every event consumer runs (joined, not crashed or
   * being rebuilt). While one does not, `consumersDown` names it and says for how long.
   */
  @Get('ready')
  async ready(@Res() res: Response) {
    const database = await withTimeout(this.dataSource.query('SELECT 1'), 2000).then(() => true, () => false);
    const kafka = await this.kafka.check();
    const consumers = this.pipeline.consumersReady();
    const ok = database && kafka && consumers;
    const down = consumers ? {} : { consumersDown: this.pipeline.consumersDown().map(({ consumer, downForMs, rebuilds }) => ({ consumer, downForMs, rebuilds })) };
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({ status: ok ? 'ok' : 'unavailable', database, kafka, consumers, ...down });
  }
}
