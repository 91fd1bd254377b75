import { Injectable } from '@nestjs/common';
import { CloudEnvironment, isUuid, isValidUpn, upnDomain } from '@remote-help/domain';
import { auditEvent, DIRECTORY_EVENTS, TOPICS, writeToOutbox, type GroupCreatedData, type GroupMembersChangedData, type SettingsSnapshot, type TenantCreatedData, type UserSnapshot } from '@remote-help/events';
import { badInput, conflict, notFound } from '@remote-help/service-kit';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SERVICE_NAME } from '../config';
import { directoryEvent, settingsSnapshot, userSnapshot } from '../directory/directory-events';
import { GroupEntity, GroupUserEntity } from '../group/group.entity';
import { UserEntity } from '../user/user.entity';
import { RemoteHelpSettingsEntity } from './remote-help-settings.entity';
import { TenantEntity } from './tenant.entity';

export interface CreateTenantInput {
  displayName: string;
  domain: string;
  cloud: CloudEnvironment;
  adminUpn: string;
  /** The tenant's id, e.g. its Microsoft Entra tenant id (a token's `tid`); a new UUID when absent. */
  id?: string;
}

/** The users group whose members hold the built-in "Remote Help Administrator" role (rbac-service's built-in assignment). */
export const ADMIN_GROUP_NAME = 'Remote Help Administrators';

/**
 * What `rh tenant create` made, as the data of the events it wrote; the CLI hands it to
 * rbac-service (`bootstrap-tenant`) so that the first administrator's token works at once.
 */
export interface TenantBootstrap {
  tenant: TenantCreatedData;
  settings: SettingsSnapshot;
  adminUser: UserSnapshot;
  group: GroupCreatedData;
}

export interface CreatedTenant {
  tenantId: string;
  adminUserId: string;
  bootstrap: TenantBootstrap;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

@Injectable()
export class TenantService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A new tenant with default settings (Remote Help off), its first administrator and the users
   * group "Remote Help Administrators" with the administrator in it, in one transaction with the
   * events that announce them: tenant.created (with adminUserId and adminGroupId),
   * tenant.settings.updated (version 1), user.upserted, group.created, group.members.added, and an
   * audit event.
   */
  async createTenant(input: CreateTenantInput): Promise<CreatedTenant> {
    const displayName = input.displayName?.trim();
    const domain = input.domain?.trim().toLowerCase();
    const adminUpn = input.adminUpn?.trim();
    if (!displayName || displayName.length > 256) throw badInput('the tenant name must have 1 to 256 characters');
    if (!domain || !DOMAIN.test(domain)) throw badInput(`"${input.domain}" is not a domain name`);
    if (!Object.values(CloudEnvironment).includes(input.cloud)) throw badInput(`cloud must be one of ${Object.values(CloudEnvironment).join(', ')}`);
    if (!adminUpn || !isValidUpn(adminUpn)) throw badInput(`"${input.adminUpn}" is not a user principal name (name@domain)`);
    if (upnDomain(adminUpn) !== domain) throw badInput(`the administrator ${adminUpn} must be in the tenant's domain ${domain}`);

    if (input.id !== undefined && !isUuid(input.id)) throw badInput(`"${input.id}" is not a tenant id: give a UUID such as the Microsoft Entra tenant id`);
    const tenantId = input.id?.toLowerCase() ?? randomUUID();
    const adminUserId = randomUUID();
    const adminGroupId = randomUUID();
    const localPart = adminUpn.slice(0, adminUpn.lastIndexOf('@'));
    const cloud = input.cloud;
    return this.dataSource.transaction(async (m) => {
      if (await m.existsBy(TenantEntity, { id: tenantId })) throw conflict(`a tenant with id ${tenantId} already exists`);
      await m.insert(TenantEntity, { id: tenantId, displayName, verifiedDomains: [domain], cloud });
      await m.insert(RemoteHelpSettingsEntity, { tenantId, remoteHelpEnabled: false, allowUnenrolledDevices: false, chatDisabled: false, requireReason: false, updatedAt: null, updatedBy: null, version: 1 });
      try {
        await m.insert(UserEntity, {
          id: adminUserId,
          tenantId,
          userPrincipalName: adminUpn,
          displayName: localPart,
          givenName: null,
          surname: null,
          jobTitle: null,
          companyName: displayName,
          profilePictureUrl: null,
          version: 1,
        });
      } catch (e) {
        if ((e as { code?: string }).code === '23505') throw conflict(`a user ${adminUpn} already exists`);
        throw e;
      }
      await m.insert(GroupEntity, { id: adminGroupId, tenantId, displayName: ADMIN_GROUP_NAME, memberKind: 'USERS' });
      await m.insert(GroupUserEntity, { groupId: adminGroupId, userId: adminUserId, tenantId });

      const settings = await m.findOneByOrFail(RemoteHelpSettingsEntity, { tenantId });
      const admin = await m.findOneByOrFail(UserEntity, { id: adminUserId });
      const bootstrap: TenantBootstrap = {
        tenant: { tenantId, displayName, verifiedDomains: [domain], cloud, adminUserId, adminGroupId },
        settings: settingsSnapshot(settings, cloud),
        adminUser: userSnapshot(admin, []),
        group: { id: adminGroupId, tenantId, displayName: ADMIN_GROUP_NAME, memberKind: 'USERS' },
      };
      const members: GroupMembersChangedData = { groupId: adminGroupId, tenantId, userIds: [adminUserId], deviceIds: [] };
      await writeToOutbox(m, TOPICS.tenant, [
        directoryEvent(DIRECTORY_EVENTS.tenantCreated, tenantId, tenantId, bootstrap.tenant),
        directoryEvent(DIRECTORY_EVENTS.settingsUpdated, tenantId, tenantId, bootstrap.settings),
        directoryEvent(DIRECTORY_EVENTS.userUpserted, tenantId, adminUserId, bootstrap.adminUser),
        directoryEvent(DIRECTORY_EVENTS.groupCreated, tenantId, adminGroupId, bootstrap.group),
        directoryEvent(DIRECTORY_EVENTS.groupMembersAdded, tenantId, adminGroupId, members),
      ]);
      await writeToOutbox(
        m,
        TOPICS.audit,
        auditEvent({
          source: SERVICE_NAME,
          tenantId,
          actorId: null,
          category: 'Tenant',
          activity: 'Create tenant',
          targetId: tenantId,
          result: 'Success',
          details: `${displayName} (${domain}, ${cloud}), first administrator ${adminUpn} in "${ADMIN_GROUP_NAME}"`,
        }),
      );
      return { tenantId, adminUserId, bootstrap };
    });
  }

  async getTenant(tenantId: string): Promise<TenantEntity> {
    const tenant = await this.dataSource.getRepository(TenantEntity).findOneBy({ id: tenantId });
    if (!tenant) throw notFound('tenant');
    return tenant;
  }

  async getSettings(tenantId: string): Promise<RemoteHelpSettingsEntity> {
    const settings = await this.dataSource.getRepository(RemoteHelpSettingsEntity).findOneBy({ tenantId });
    if (!settings) throw notFound('tenant');
    return settings;
  }
}
