import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '../user/user.service';
import { DeviceEntity } from './device.entity';

@Injectable()
export class DeviceService {
  constructor(private readonly dataSource: DataSource) {}

  findInTenant(tenantId: string, id: string): Promise<DeviceEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.dataSource.getRepository(DeviceEntity).findOneBy({ tenantId, id });
  }
}
