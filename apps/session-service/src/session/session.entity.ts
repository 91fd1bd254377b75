import { EndReason, SessionMode, SessionState } from '@remote-help/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('sessions')
export class SessionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'helper_id' }) helperId: string;
  @Column('uuid', { name: 'sharer_id', nullable: true }) sharerId: string | null;
  @Column('uuid', { name: 'device_id' }) deviceId: string;
  @Column('text') mode: SessionMode;
  @Column('text') state: SessionState;
  @Column() elevated: boolean;
  @Column({ name: 'chat_enabled' }) chatEnabled: boolean;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('timestamptz', { name: 'requested_at' }) requestedAt: Date;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt: Date | null;
  @Column('text', { name: 'end_reason', nullable: true }) endReason: EndReason | null;
  @Column('int') version: number;
}
