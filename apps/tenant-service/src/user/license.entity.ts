import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One licence of a user; at most one per kind (assigning a kind again replaces its dates). */
@Entity('licenses')
export class LicenseEntity {
  @PrimaryColumn('uuid', { name: 'user_id' }) userId: string;
  @PrimaryColumn('text') kind: 'REMOTE_HELP_ADDON' | 'INTUNE_SUITE';
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('timestamptz', { name: 'active_from' }) activeFrom: Date;
  @Column('timestamptz', { name: 'expires_at', nullable: true }) expiresAt: Date | null;
  @Column('timestamptz', { name: 'assigned_at' }) assignedAt: Date;
}
