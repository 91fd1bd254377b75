import { Injectable } from '@nestjs/common';
import { auditEvent, createEvent, TOPICS, writeToOutbox } from '@remote-help/events';
import { CloudEnvironment, isValidUpn, upnDomain } from '@remote-help/domain';
import { badInput, conflict, notFound } from '@remote-help/service-kit';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SERVICE_NAME } from '../config';
import { UserEntity } from '../user/user.entity';
import { RemoteHelpSettingsEntity } from './remote-help-settings.entity';
import { TenantEntity } from './tenant.entity';

export interface CreateTenantInput {
  displayName: string;
  domain: string;
  cloud: CloudEnvironment;
  adminUpn: string;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

@Injectable()
export class TenantService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A new tenant with default settings (Remote Help off) and its first administrator, in one
   * transaction with the events that announce them.
   */
  async createTenant(input: CreateTenantInput): Promise<{ tenantId: string; adminUserId: string }> {
    const displayName = input.displayName?.trim();
    const domain = input.domain?.trim().toLowerCase();
    const adminUpn = input.adminUpn?.trim();
    if (!displayName || displayName.length > 256) throw badInput('the tenant name must have 1 to 256 characters');
    if (!domain || !DOMAIN.test(domain)) throw badInput(`"${input.domain}" is not a domain name`);
    if (!Object.values(CloudEnvironment).includes(input.cloud)) throw badInput(`cloud must be one of ${Object.values(CloudEnvironment).join(', ')}`);
    if (!adminUpn || !isValidUpn(adminUpn)) throw badInput(`"${input.adminUpn}" is not a user principal name (name@domain)`);
    if (upnDomain(adminUpn) !== domain) throw badInput(`the administrator ${adminUpn} must be in the tenant's domain ${domain}`);

    const tenantId = randomUUID();
    const adminUserId = randomUUID();
    const localPart = adminUpn.slice(0, adminUpn.lastIndexOf('@'));
    await this.dataSource.transaction(async (m) => {
      await m.insert(TenantEntity, { id: tenantId, displayName, verifiedDomains: [domain], cloud: input.cloud });
      await m.insert(RemoteHelpSettingsEntity, { tenantId, remoteHelpEnabled: false, allowUnenrolledDevices: false, chatDisabled: false, updatedAt: null, updatedBy: null });
      try {
        await m.insert(UserEntity, { id: adminUserId, tenantId, userPrincipalName: adminUpn, displayName: localPart, givenName: null, surname: null, jobTitle: null, companyName: displayName, profilePictureUrl: null });
      } catch (e) {
        if ((e as { code?: string }).code === '23505') throw conflict(`a user ${adminUpn} already exists`);
        throw e;
      }
      await writeToOutbox(m, TOPICS.tenant, [
        createEvent({ type: 'tenant.created', source: SERVICE_NAME, tenantId, subject: tenantId, data: { tenantId, displayName, verifiedDomains: [domain], cloud: input.cloud, adminUserId } }),
        createEvent({ type: 'user.upserted', source: SERVICE_NAME, tenantId, subject: adminUserId, data: { id: adminUserId, userPrincipalName: adminUpn, displayName: localPart } }),
      ]);
      await writeToOutbox(m, TOPICS.audit, auditEvent({ source: SERVICE_NAME, tenantId, actorId: null, category: 'Tenant', activity: 'Create tenant', targetId: tenantId, result: 'Success', details: `${displayName} (${domain}, ${input.cloud}), first administrator ${adminUpn}` }));
    });
    return { tenantId, adminUserId };
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
