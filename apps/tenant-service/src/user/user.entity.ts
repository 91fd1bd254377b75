import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('users')
export class UserEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column({ name: 'user_principal_name' }) userPrincipalName: string;
  @Column('text', { name: 'given_name', nullable: true }) givenName: string | null;
  @Column('text', { nullable: true }) surname: string | null;
  @Column({ name: 'display_name' }) displayName: string;
  @Column('text', { name: 'job_title', nullable: true }) jobTitle: string | null;
  @Column('text', { name: 'company_name', nullable: true }) companyName: string | null;
  @Column('text', { name: 'profile_picture_url', nullable: true }) profilePictureUrl: string | null;
  /** +1 per change of the user or of their licences (the version of its UserSnapshot). */
  @Column('int') version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
