import { isUuid } from '@remote-help/domain';
import { Injectable } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { DataSource } from 'typeorm';
import { DeviceService } from '../device/device.service';
import { TenantEntity } from '../tenant/tenant.entity';
import { UserService } from '../user/user.service';

export interface ResolvePrincipalRequest {
  tenantId: string;
  userObjectId?: string;
  upn?: string;
  deviceId?: string;
}

export type ResolvePrincipalResult = { principal: Caller; reason?: undefined } | { principal: null; reason: string };

@Injectable()
export class PrincipalService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UserService,
    private readonly devices: DeviceService,
  ) {}

  async resolve(req: ResolvePrincipalRequest): Promise<ResolvePrincipalResult> {
    const tenantId = String(req.tenantId ?? '');
    if (!isUuid(tenantId) || !(await this.dataSource.getRepository(TenantEntity).existsBy({ id: tenantId }))) {
      return { principal: null, reason: 'unknown tenant' };
    }
    if (req.userObjectId || req.upn) {
      const user = (req.userObjectId ? await this.users.findInTenant(tenantId, String(req.userObjectId)) : null) ?? (req.upn ? await this.users.findByUpn(tenantId, String(req.upn)) : null);
      if (!user) return { principal: null, reason: 'unknown user in this tenant' };
      return { principal: { kind: 'user', tenantId, userId: user.id, upn: user.userPrincipalName } };
    }
    if (req.deviceId) {
      const device = await this.devices.findInTenant(tenantId, String(req.deviceId));
      if (!device) return { principal: null, reason: 'unknown device in this tenant' };
      if (device.primaryUserId) return { principal: null, reason: 'only dedicated devices with no user sign in as a device' };
      return { principal: { kind: 'device', tenantId, deviceId: device.id } };
    }
    return { principal: null, reason: 'no user or device subject' };
  }
}
