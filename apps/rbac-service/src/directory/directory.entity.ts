import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { LicenseSnapshot } from '@remote-help/events';

/*
 * rbac-service's local copy of the directory and settings, written only from tenant-service's
 * events (see DirectoryStore). The snapshot tables keep the `version` of the last snapshot applied.
 */

@Entity('directory_tenants')
export class DirectoryTenantEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { name: 'display_name', nullable: true }) displayName: string | null;
  @Column('text') cloud: string;
  @Column('boolean', { name: 'remote_help_enabled' }) remoteHelpEnabled: boolean;
  @Column('boolean', { name: 'allow_unenrolled_devices' }) allowUnenrolledDevices: boolean;
  @Column('boolean', { name: 'chat_disabled' }) chatDisabled: boolean;
  @Column('boolean', { name: 'require_reason', default: false }) requireReason: boolean;
  @Column('timestamptz', { name: 'settings_updated_at', nullable: true }) settingsUpdatedAt: Date | null;
  @Column('uuid', { name: 'settings_updated_by', nullable: true }) settingsUpdatedBy: string | null;
  @Column('integer', { name: 'settings_version' }) settingsVersion: number;
  @Column('uuid', { name: 'admin_user_id', nullable: true }) adminUserId: string | null;
  @Column('uuid', { name: 'admin_group_id', nullable: true }) adminGroupId: string | null;
}

@Entity('directory_users')
export class DirectoryUserEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text', { name: 'user_principal_name' }) userPrincipalName: string;
  @Column('text', { name: 'display_name' }) displayName: string;
  @Column('jsonb') licenses: LicenseSnapshot[];
  @Column('integer') version: number;
}

@Entity('directory_devices')
export class DirectoryDeviceEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text', { name: 'display_name' }) displayName: string;
  @Column('text') platform: string;
  @Column('text', { name: 'os_version' }) osVersion: string;
  @Column('text', { nullable: true }) manufacturer: string | null;
  @Column('boolean') enrolled: boolean;
  @Column('boolean', { name: 'entra_registered' }) entraRegistered: boolean;
  @Column('text') compliance: string;
  @Column('uuid', { name: 'primary_user_id', nullable: true }) primaryUserId: string | null;
  @Column('integer') version: number;
}

@Entity('directory_groups')
export class DirectoryGroupEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('text', { name: 'display_name' }) displayName: string;
  @Column('text', { name: 'member_kind' }) memberKind: 'USERS' | 'DEVICES' | 'MIXED';
}

@Entity('directory_group_users')
export class DirectoryGroupUserEntity {
  @PrimaryColumn('uuid', { name: 'group_id' }) groupId: string;
  @PrimaryColumn('uuid', { name: 'user_id' }) userId: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
}

@Entity('directory_group_devices')
export class DirectoryGroupDeviceEntity {
  @PrimaryColumn('uuid', { name: 'group_id' }) groupId: string;
  @PrimaryColumn('uuid', { name: 'device_id' }) deviceId: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
}

export const DIRECTORY_ENTITIES = [DirectoryTenantEntity, DirectoryUserEntity, DirectoryDeviceEntity, DirectoryGroupEntity, DirectoryGroupUserEntity, DirectoryGroupDeviceEntity];
