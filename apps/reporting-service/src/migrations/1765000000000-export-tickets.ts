import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One-use tickets for browser downloads of the CSV exports (createExportTicket). */
export class ExportTickets1765000000000 implements MigrationInterface {
  name = 'ExportTickets1765000000000';

  async up(q: QueryRunner): Promise<void> {
    // Only a hash of the ticket is kept: a copy of the table lets nobody download anything.
    await q.query(`
      CREATE TABLE export_tickets (
        ticket_hash text PRIMARY KEY,
        tenant_id uuid NOT NULL,
        user_id uuid NOT NULL,
        upn text NOT NULL,
        export_name text,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX export_tickets_expiry ON export_tickets (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE export_tickets`);
  }
}
