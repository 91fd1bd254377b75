import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One wrong security code entered by a user (joinSession's brute-force limit). */
@Entity('join_failures')
export class JoinFailureEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'user_id' }) userId: string;
  @Column('timestamptz', { name: 'failed_at' }) failedAt: Date;
}
