import { ComplianceState, EndReason, Platform, SessionMode, SessionState } from '@remote-help/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One Remote Help session. The service reads and writes it with SQL (guarded updates, see
 * SessionStore); the entity documents the columns and lets TypeORM know the table.
 */
@Entity('sessions')
export class SessionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('uuid', { name: 'helper_id' }) helperId: string;
  @Column('uuid', { name: 'sharer_id', nullable: true }) sharerId: string | null;
  @Column('uuid', { name: 'device_id' }) deviceId: string;
  /** The control mode now. */
  @Column('text') mode: SessionMode;
  /** The session type as requested (UNATTENDED: no sharer, no code, no consent). */
  @Column('text', { name: 'requested_mode' }) requestedMode: SessionMode;
  @Column('text') state: SessionState;
  @Column() elevated: boolean;
  @Column({ name: 'chat_enabled' }) chatEnabled: boolean;
  @Column({ name: 'chat_used' }) chatUsed: boolean;
  @Column('text', { nullable: true }) reason: string | null;
  /** The device's platform, enrolment and compliance when the session was requested. */
  @Column('text') platform: Platform;
  @Column({ name: 'device_enrolled' }) deviceEnrolled: boolean;
  @Column('text', { name: 'device_compliance' }) deviceCompliance: ComplianceState;
  @Column('text', { name: 'pending_control_request', nullable: true }) pendingControlRequest: SessionMode | null;
  /** SHA-256 of the security code; set only while the session waits for the sharer. */
  @Column('text', { name: 'code_hash', nullable: true }) codeHash: string | null;
  @Column('timestamptz', { name: 'code_expires_at', nullable: true }) codeExpiresAt: Date | null;
  /** When the session's timer fires (join or consent expiry, unattended start, heartbeat loss); null when final. */
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt: Date | null;
  @Column('timestamptz', { name: 'helper_seen_at', nullable: true }) helperSeenAt: Date | null;
  /** The sharer's (or, unattended, the device's) last heartbeat. */
  @Column('timestamptz', { name: 'sharer_seen_at', nullable: true }) sharerSeenAt: Date | null;
  @Column('timestamptz', { name: 'requested_at' }) requestedAt: Date;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt: Date | null;
  @Column('text', { name: 'end_reason', nullable: true }) endReason: EndReason | null;
  /** +1 per transition; the `version` of the session's events. */
  @Column('int') version: number;
}
