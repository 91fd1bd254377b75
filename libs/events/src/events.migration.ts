import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates the `outbox` and `processed_events` tables. Every service adds EVENTS_MIGRATIONS to its own
 * migration list (before or after its own migrations; it depends on none of them).
 * Kept in step with {@link OutboxEventEntity} and {@link ProcessedEventEntity}: the integration
 * test checks that TypeORM finds no difference between this schema and the entities.
 */
export class EventsInfrastructure1700000000000 implements MigrationInterface {
  name = 'EventsInfrastructure1700000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "outbox" (` +
        `"id" BIGSERIAL NOT NULL, ` +
        `"event_id" uuid NOT NULL, ` +
        `"topic" text NOT NULL, ` +
        `"key" text NOT NULL, ` +
        `"payload" jsonb NOT NULL, ` +
        `"created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), ` +
        `"sent_at" TIMESTAMP WITH TIME ZONE, ` +
        `"attempts" integer NOT NULL DEFAULT '0', ` +
        `"last_error" text, ` +
        `CONSTRAINT "UQ_outbox_event_id" UNIQUE ("event_id"), ` +
        `CONSTRAINT "PK_outbox" PRIMARY KEY ("id"))`,
    );
    // The relay's scan: unsent rows in id order, small however large the sent history grows.
    await queryRunner.query(`CREATE INDEX "IDX_outbox_unsent" ON "outbox" ("id") WHERE sent_at IS NULL`);
    await queryRunner.query(
      `CREATE TABLE "processed_events" (` +
        `"consumer" text NOT NULL, ` +
        `"event_id" uuid NOT NULL, ` +
        `"processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), ` +
        `CONSTRAINT "PK_processed_events" PRIMARY KEY ("consumer", "event_id"))`,
    );
    // Housekeeping (purgeProcessedEvents) deletes by age.
    await queryRunner.query(`CREATE INDEX "IDX_processed_events_processed_at" ON "processed_events" ("processed_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "processed_events"`);
    await queryRunner.query(`DROP TABLE "outbox"`);
  }
}

/**
 * Gives each outbox row the trace context of the transaction that wrote it (`trace_context`,
 * W3C `traceparent`/`tracestate` as JSON; null outside a trace), so that the relay's publish
 * continues the request's trace.
 */
export class OutboxTraceContext1766000000000 implements MigrationInterface {
  name = 'OutboxTraceContext1766000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox" ADD "trace_context" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox" DROP COLUMN "trace_context"`);
  }
}

/** The migrations of the events tables, in order: every service puts them in its own migration list. */
export const EVENTS_MIGRATIONS = [EventsInfrastructure1700000000000, OutboxTraceContext1766000000000];
