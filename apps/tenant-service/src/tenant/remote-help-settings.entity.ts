import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('remote_help_settings')
export class RemoteHelpSettingsEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column({ name: 'remote_help_enabled' }) remoteHelpEnabled: boolean;
  @Column({ name: 'allow_unenrolled_devices' }) allowUnenrolledDevices: boolean;
  @Column({ name: 'chat_disabled' }) chatDisabled: boolean;
  /** Session requests must give a reason (a ticket id). */
  @Column({ name: 'require_reason', default: false }) requireReason: boolean;
  @Column('timestamptz', { name: 'updated_at', nullable: true }) updatedAt: Date | null;
  @Column('uuid', { name: 'updated_by', nullable: true }) updatedBy: string | null;
  /** +1 per change (the version of its SettingsSnapshot); 1 at creation. */
  @Column('int') version: number;
}
