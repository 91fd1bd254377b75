import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type GroupMemberKindValue = 'USERS' | 'DEVICES' | 'MIXED';

@Entity('directory_groups')
export class GroupEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column({ name: 'display_name' }) displayName: string;
  @Column('text', { name: 'member_kind' }) memberKind: GroupMemberKindValue;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('group_users')
export class GroupUserEntity {
  @PrimaryColumn('uuid', { name: 'group_id' }) groupId: string;
  @PrimaryColumn('uuid', { name: 'user_id' }) userId: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @CreateDateColumn({ name: 'added_at', type: 'timestamptz' }) addedAt: Date;
}

@Entity('group_devices')
export class GroupDeviceEntity {
  @PrimaryColumn('uuid', { name: 'group_id' }) groupId: string;
  @PrimaryColumn('uuid', { name: 'device_id' }) deviceId: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @CreateDateColumn({ name: 'added_at', type: 'timestamptz' }) addedAt: Date;
}
