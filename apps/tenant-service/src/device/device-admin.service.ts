import { Injectable } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { AdminPermission, ComplianceState, isUuid, Platform } from '@remote-help/domain';
import { DIRECTORY_EVENTS, TOPICS, writeToOutbox } from '@remote-help/events';
import { AdminAuthorizer, AuditTrail, badInput, notFound, tenantOf } from '@remote-help/service-kit';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { describeChanges, optionalText, requiredText } from '../directory/directory.rules';
import { deviceSnapshot, directoryEvent } from '../directory/directory-events';
import { UserEntity } from '../user/user.entity';
import { DeviceEntity } from './device.entity';
import { UpsertDeviceInput } from './device.input';

const MAX_OS_VERSION = 128;

/** Changes to devices (MANAGE_DIRECTORY), each with device.upserted and an audit event in one transaction. */
@Injectable()
export class DeviceAdminService {
  constructor(
    private readonly authorizer: AdminAuthorizer,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Creates a device (no id) or updates that device of the tenant (NOT_FOUND otherwise). The
   * primary user must be a user of this tenant (BAD_USER_INPUT otherwise). An update that changes
   * nothing writes no event.
   */
  async upsertDevice(caller: Caller, input: UpsertDeviceInput): Promise<DeviceEntity> {
    const tenantId = tenantOf(caller);
    const id = input.id ?? null;
    let details = '';
    return this.audit.run(caller, { category: 'Directory', activity: id ? 'Update device' : 'Create device', targetId: id ? (isUuid(id) ? id : null) : (d: DeviceEntity) => d.id, details: () => details }, async (m) => {
      await this.authorizer.require(caller, AdminPermission.MANAGE_DIRECTORY);
      if (!Object.values(Platform).includes(input.platform)) throw badInput(`platform must be one of ${Object.values(Platform).join(', ')}`);
      if (!Object.values(ComplianceState).includes(input.compliance)) throw badInput(`compliance must be one of ${Object.values(ComplianceState).join(', ')}`);
      const values = {
        displayName: requiredText(input.displayName, 'displayName'),
        platform: input.platform as string,
        osVersion: requiredText(input.osVersion, 'osVersion', MAX_OS_VERSION),
        manufacturer: optionalText(input.manufacturer, 'manufacturer'),
        enrolled: Boolean(input.enrolled),
        entraRegistered: Boolean(input.entraRegistered),
        compliance: input.compliance as string,
        primaryUserId: await primaryUserOf(m, tenantId, input.primaryUserId),
      };
      let device: DeviceEntity;
      if (!id) {
        const newId = randomUUID();
        await m.insert(DeviceEntity, { id: newId, tenantId, version: 1, ...values, manufacturer: values.manufacturer ?? null, primaryUserId: values.primaryUserId ?? null });
        device = await m.findOneByOrFail(DeviceEntity, { id: newId });
        details = `${device.displayName} (${device.platform} ${device.osVersion})`;
      } else {
        const current = isUuid(id) ? await m.findOne(DeviceEntity, { where: { tenantId, id: id.toLowerCase() }, lock: { mode: 'pessimistic_write' } }) : null;
        if (!current) throw notFound(`device ${id}`);
        const next = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<DeviceEntity>;
        const changes = describeChanges(current as unknown as Record<string, unknown>, next);
        details = `${current.displayName}: ${changes.join('; ') || 'no change'}`;
        if (changes.length === 0) return current;
        await m.update(DeviceEntity, { id: current.id, tenantId }, { ...next, version: current.version + 1 });
        device = await m.findOneByOrFail(DeviceEntity, { id: current.id });
      }
      await writeToOutbox(m, TOPICS.tenant, directoryEvent(DIRECTORY_EVENTS.deviceUpserted, tenantId, device.id, deviceSnapshot(device)));
      return device;
    });
  }
}

/** undefined: not given (kept on update); null: no primary user; else a user of this tenant (BAD_USER_INPUT otherwise). */
async function primaryUserOf(m: EntityManager, tenantId: string, id: string | null | undefined): Promise<string | null | undefined> {
  if (id === undefined || id === null) return id;
  const user = isUuid(id) ? await m.findOneBy(UserEntity, { tenantId, id: id.toLowerCase() }) : null;
  if (!user) throw badInput(`primaryUserId ${id} is not a user of this tenant`);
  return user.id;
}
