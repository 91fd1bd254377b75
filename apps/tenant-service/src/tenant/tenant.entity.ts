import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type CloudEnvironmentValue = 'COMMERCIAL' | 'GCC' | 'GCC_HIGH' | 'DOD';

@Entity('tenants')
export class TenantEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'display_name' }) displayName: string;
  @Column('text', { name: 'verified_domains', array: true }) verifiedDomains: string[];
  @Column('text') cloud: CloudEnvironmentValue;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
