import { AdminPermission, RemoteHelpPermission } from '@remote-help/domain';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('roles')
export class RoleEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  /** Set for the built-in roles, which cannot be edited or deleted. */
  @Column('text', { name: 'built_in_key', nullable: true }) builtInKey: string | null;
  @Column({ name: 'display_name' }) displayName: string;
  @Column('text', { nullable: true }) description: string | null;
  @Column('text', { array: true }) permissions: RemoteHelpPermission[];
  @Column('text', { name: 'admin_permissions', array: true }) adminPermissions: AdminPermission[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
