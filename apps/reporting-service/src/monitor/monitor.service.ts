import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActiveSessionEntity } from './active-session.entity';

@Injectable()
export class MonitorService {
  constructor(private readonly dataSource: DataSource) {}

  activeSessionCount(tenantId: string): Promise<number> {
    return this.dataSource.getRepository(ActiveSessionEntity).countBy({ tenantId });
  }
}
