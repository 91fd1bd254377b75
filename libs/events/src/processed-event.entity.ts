import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Which events a consumer has applied. Inserted in the same transaction as the handler's
 * writes, so an event is applied at most once per consumer however often Kafka redelivers it.
 */
@Entity('processed_events')
@Index('IDX_processed_events_processed_at', ['processedAt'])
export class ProcessedEventEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_processed_events' })
  consumer: string;

  @PrimaryColumn({ name: 'event_id', type: 'uuid', primaryKeyConstraintName: 'PK_processed_events' })
  eventId: string;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt: Date;
}
