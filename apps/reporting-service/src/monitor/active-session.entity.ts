import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A session that is active now, as the session lifecycle events tell. */
@Entity('active_sessions')
export class ActiveSessionEntity {
  @PrimaryColumn('uuid', { name: 'session_id' }) sessionId: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
}
