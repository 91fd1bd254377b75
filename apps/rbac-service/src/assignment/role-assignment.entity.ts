import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('role_assignments')
export class RoleAssignmentEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'role_id' }) roleId: string;
  /** Set for the built-in assignment, which cannot be deleted. */
  @Column('text', { name: 'built_in_key', nullable: true }) builtInKey: string | null;
  @Column('text', { name: 'display_name' }) displayName: string;
  @Column('text', { nullable: true }) description: string | null;
  /** Members of these groups hold the role ... */
  @Column('uuid', { name: 'admin_group_ids', array: true }) adminGroupIds: string[];
  /** ... over the users and devices in these groups (and all users / all devices when set). */
  @Column('uuid', { name: 'scope_group_ids', array: true }) scopeGroupIds: string[];
  @Column('boolean', { name: 'scope_all_users' }) scopeAllUsers: boolean;
  @Column('boolean', { name: 'scope_all_devices' }) scopeAllDevices: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
