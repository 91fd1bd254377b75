import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { Caller } from '@remote-help/auth';
import { CurrentCaller } from '@remote-help/service-kit';
import { ExportName, ExportTicket } from './export-ticket.model';
import { ExportTicketService } from './export-ticket.service';

@Resolver(() => ExportTicket)
export class ExportTicketResolver {
  constructor(private readonly tickets: ExportTicketService) {}

  @Mutation(() => ExportTicket, {
    description:
      'A one-use ticket (60 s) for a browser download of a CSV export: `/exports/remote-help-sessions.csv?ticket=...` (READ_REPORTS) or `/exports/audit-events.csv?ticket=...` (READ_AUDIT_LOG). `export` limits it to that export. The caller must hold the permission of the export (READ_REPORTS or READ_AUDIT_LOG; one of them without `export`), checked again when the ticket is used.',
  })
  createExportTicket(@CurrentCaller() caller: Caller, @Args('export', { type: () => ExportName, nullable: true }) exportName?: ExportName | null) {
    return this.tickets.create(caller, exportName ?? null);
  }
}
