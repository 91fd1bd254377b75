import { isUuid } from '@remote-help/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { namePage } from '../directory/name-page';
import { DeviceEntity } from './device.entity';

/** Reads of the devices of a tenant (every query filters by the tenant). */
@Injectable()
export class DeviceService {
  constructor(private readonly dataSource: DataSource) {}

  /** A device of this tenant, or null (ids of other tenants look exactly like unknown ids). */
  findInTenant(tenantId: string, id: string): Promise<DeviceEntity | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.dataSource.getRepository(DeviceEntity).findOneBy({ tenantId, id: id.toLowerCase() });
  }

  /** The tenant's devices whose display name contains `search` (case-insensitive), by display name, after the device `after`. */
  list(tenantId: string, search: string | null, first: number, after: string | null = null): Promise<DeviceEntity[]> {
    const q = this.dataSource.getRepository(DeviceEntity).createQueryBuilder('d');
    return namePage(q, 'd', 'devices', { tenantId, searchColumns: ['display_name'], search, after, first }).getMany();
  }
}
