import type { RemoteHelpPermission } from '@remote-help/domain';
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
  /** Just-in-time approval: these permissions need an approver when only gated assignments grant them. */
  @Column('text', { name: 'approval_required_for', array: true, default: () => "'{}'" }) approvalRequiredFor: RemoteHelpPermission[];
  /** Whose members may approve; not empty when approvalRequiredFor is not. */
  @Column('uuid', { name: 'approver_group_ids', array: true, default: () => "'{}'" }) approverGroupIds: string[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
