import { Column, Entity, PrimaryColumn } from 'typeorm';

/** This service's copy of a tenant's chat setting (from tenant.settings.updated snapshots). */
@Entity('tenant_settings')
export class TenantSettingsEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column({ name: 'chat_disabled' }) chatDisabled: boolean;
  @Column('int') version: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
