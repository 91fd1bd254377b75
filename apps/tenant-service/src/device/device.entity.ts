import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('devices')
export class DeviceEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column({ name: 'display_name' }) displayName: string;
  @Column('text') platform: string;
  @Column({ name: 'os_version' }) osVersion: string;
  @Column('text', { nullable: true }) manufacturer: string | null;
  @Column() enrolled: boolean;
  @Column({ name: 'entra_registered' }) entraRegistered: boolean;
  @Column('text') compliance: string;
  @Column('uuid', { name: 'primary_user_id', nullable: true }) primaryUserId: string | null;
  /** +1 per change (the version of its DeviceSnapshot). */
  @Column('int') version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
