import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { EventEnvelope } from './event-envelope';

/**
 * One event waiting to be published to Kafka. Written in the same transaction as the business
 * change ({@link writeToOutbox}); the relay publishes unsent rows in `id` order and deletes them
 * once Kafka has them (`sent_at` is set only on rows that earlier versions kept).
 * The schema is created by `EventsInfrastructure1700000000000` (never synchronize).
 */
@Entity('outbox')
@Unique('UQ_outbox_event_id', ['eventId'])
@Index('IDX_outbox_unsent', ['id'], { where: 'sent_at IS NULL' })
export class OutboxEventEntity {
  /** bigserial: the publish order. A string in JS (int8). */
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'PK_outbox' })
  id: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  /** Base topic name (without the deployment prefix). */
  @Column({ type: 'text' })
  topic: string;

  /** Kafka key: the envelope's subject (aggregate id). */
  @Column({ type: 'text' })
  key: string;

  /** The whole envelope. */
  @Column({ type: 'jsonb' })
  payload: EventEnvelope;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** Publish attempts so far (failed ones and the successful one). */
  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /**
   * The W3C trace context (`traceparent`, `tracestate`) of the transaction that wrote the row,
   * so that the relay's publish continues that trace (null when it was written outside a trace,
   * or with tracing off). Added by `OutboxTraceContext1766000000000`.
   */
  @Column({ name: 'trace_context', type: 'jsonb', nullable: true })
  traceContext: Record<string, string> | null;
}
