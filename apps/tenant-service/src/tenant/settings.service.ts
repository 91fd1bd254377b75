import { Injectable } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { AdminPermission, CloudEnvironment } from '@remote-help/domain';
import { DIRECTORY_EVENTS, TOPICS, writeToOutbox } from '@remote-help/events';
import { AdminAuthorizer, AuditTrail, notFound, requireUser, tenantOf } from '@remote-help/service-kit';
import { describeChanges } from '../directory/directory.rules';
import { directoryEvent, settingsSnapshot } from '../directory/directory-events';
import { RemoteHelpSettingsEntity } from './remote-help-settings.entity';
import { UpdateRemoteHelpSettingsInput } from './settings.input';
import { nextSettings } from './settings.rules';
import { TenantEntity } from './tenant.entity';

@Injectable()
export class SettingsService {
  constructor(
    private readonly authorizer: AdminAuthorizer,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Changes the fields given (MANAGE_SETTINGS), records who and when, and publishes
   * tenant.settings.updated (version + 1) with an audit event listing what changed. A call that
   * changes nothing writes no settings event (the audit event says "no change").
   */
  async update(caller: Caller, input: UpdateRemoteHelpSettingsInput): Promise<RemoteHelpSettingsEntity> {
    const tenantId = tenantOf(caller);
    let changes: string[] = [];
    return this.audit.run(caller, { category: 'Settings', activity: 'Update remote help settings', targetId: tenantId, details: () => changes.join('; ') || 'no change' }, async (m) => {
      await this.authorizer.require(caller, AdminPermission.MANAGE_SETTINGS);
      const user = requireUser(caller);
      const tenant = await m.findOneBy(TenantEntity, { id: tenantId });
      const current = await m.findOne(RemoteHelpSettingsEntity, { where: { tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!tenant || !current) throw notFound('tenant');
      const next = nextSettings(current, input ?? {}, tenant.cloud as CloudEnvironment);
      changes = describeChanges(current as unknown as Record<string, unknown>, { ...next });
      if (changes.length === 0) return current;
      await m.update(RemoteHelpSettingsEntity, { tenantId }, { ...next, updatedAt: new Date(), updatedBy: user.userId, version: current.version + 1 });
      const saved = await m.findOneByOrFail(RemoteHelpSettingsEntity, { tenantId });
      await writeToOutbox(m, TOPICS.tenant, directoryEvent(DIRECTORY_EVENTS.settingsUpdated, tenantId, tenantId, settingsSnapshot(saved, tenant.cloud)));
      return saved;
    });
  }
}
