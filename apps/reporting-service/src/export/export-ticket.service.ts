import { Injectable } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { AdminPermission } from '@remote-help/domain';
import { AdminAuthorizer, forbidden, unauthenticated } from '@remote-help/service-kit';
import { randomBytes } from 'node:crypto';
import { Clock } from '../common/clock';
import { EXPORT_PERMISSIONS, ExportName, ExportTicket } from './export-ticket.model';
import { ExportTicketStore } from './export-ticket.store';

export const TICKET_TTL_MS = 60_000;
const TICKET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * One-use tickets for the CSV exports: a browser cannot send a bearer header on a download, so
 * the console asks for a ticket and opens `/exports/<file>?ticket=...`. A ticket stands for the
 * user who asked for it (their admin permissions are checked when it is used), for 60 s, once.
 */
@Injectable()
export class ExportTicketService {
  constructor(
    private readonly store: ExportTicketStore,
    private readonly clock: Clock,
    private readonly admin: AdminAuthorizer,
  ) {}

  /** A ticket for the caller, who must hold the permission of the export (of one of them when none is named). */
  async create(caller: Caller, exportName: ExportName | null): Promise<ExportTicket> {
    if (caller.kind !== 'user') throw forbidden('only a signed-in user can download an export');
    if (exportName) await this.admin.require(caller, EXPORT_PERMISSIONS[exportName]);
    else if (!(await this.admin.has(caller, AdminPermission.READ_REPORTS)) && !(await this.admin.has(caller, AdminPermission.READ_AUDIT_LOG))) {
      throw forbidden('you need READ_REPORTS or READ_AUDIT_LOG to export');
    }
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + TICKET_TTL_MS);
    await this.store.save(ticket, { tenantId: caller.tenantId, userId: caller.userId, upn: caller.upn, exportName }, expiresAt);
    return { ticket, expiresAt };
  }

  /** The user a ticket stands for, using it up; UNAUTHENTICATED when it is unknown, used, expired or for another export. */
  async redeem(ticket: string, exportName: ExportName): Promise<Caller> {
    const refused = unauthenticated('the export ticket is unknown, used or expired: ask createExportTicket for a new one');
    if (!TICKET_SHAPE.test(ticket)) throw refused;
    const holder = await this.store.take(ticket, this.clock.now());
    if (!holder || (holder.exportName !== null && holder.exportName !== exportName)) throw refused;
    return { kind: 'user', tenantId: holder.tenantId, userId: holder.userId, upn: holder.upn };
  }
}
