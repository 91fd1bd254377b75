import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ExportName } from './export-ticket.model';

/** Who a ticket was given to, and for which export (null: any). */
export interface TicketHolder {
  tenantId: string;
  userId: string;
  upn: string;
  exportName: ExportName | null;
}

const hashOf = (ticket: string) => createHash('sha256').update(ticket, 'utf8').digest('base64url');

/** The export tickets: stored as hashes, taken (deleted) by their one use. */
@Injectable()
export class ExportTicketStore {
  constructor(private readonly dataSource: DataSource) {}

  async save(ticket: string, holder: TicketHolder, expiresAt: Date): Promise<void> {
    // Tickets nobody used are forgotten here, an hour after they expired.
    await this.dataSource.query(`DELETE FROM export_tickets WHERE expires_at < now() - interval '1 hour'`);
    await this.dataSource.query(`INSERT INTO export_tickets (ticket_hash, tenant_id, user_id, upn, export_name, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
      hashOf(ticket),
      holder.tenantId,
      holder.userId,
      holder.upn,
      holder.exportName,
      expiresAt,
    ]);
  }

  /** Takes the ticket (so that it cannot be used again): its holder when it existed and had not expired at `now`. */
  async take(ticket: string, now: Date): Promise<TicketHolder | null> {
    // TypeORM answers a DELETE with [rows, count].
    const [rows]: [{ tenant_id: string; user_id: string; upn: string; export_name: ExportName | null; expires_at: Date }[], number] = await this.dataSource.query(
      `DELETE FROM export_tickets WHERE ticket_hash = $1 RETURNING tenant_id, user_id, upn, export_name, expires_at`,
      [hashOf(ticket)],
    );
    const r = rows[0];
    if (!r || r.expires_at.getTime() <= now.getTime()) return null;
    return { tenantId: r.tenant_id, userId: r.user_id, upn: r.upn, exportName: r.export_name };
  }
}
