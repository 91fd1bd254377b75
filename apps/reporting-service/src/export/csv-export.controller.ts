import { Controller, Get, Inject, Logger, Param, Query, Req, Res } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { AdminAuthorizer, badInput, notFound, type AppError } from '@remote-help/service-kit';
import type { Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import { EXPORT_PERMISSIONS, ExportName } from './export-ticket.model';
import { ExportTicketService } from './export-ticket.service';
import { CsvExportService } from './csv-export.service';

const BY_FILE: Record<string, ExportName> = {
  'remote-help-sessions.csv': ExportName.REMOTE_HELP_SESSIONS,
  'audit-events.csv': ExportName.AUDIT_EVENTS,
};
const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400, NOT_FOUND: 404 };

/**
 * The CSV exports (the gateway's `GET /exports/<file>` streams this answer): behind the internal
 * token of the caller, or of the gateway with the `ticket` the caller got from createExportTicket.
 * Refusals are the contract's errors, as JSON with the HTTP status of their code.
 */
@Controller('internal/exports')
export class CsvExportController {
  private readonly log = new Logger('CsvExport');

  constructor(
    private readonly tickets: ExportTicketService,
    private readonly exports: CsvExportService,
    @Inject(AdminAuthorizer) private readonly admin: AdminAuthorizer,
  ) {}

  @Get(':file')
  async export(@Param('file') file: string, @Query() query: Record<string, unknown>, @Req() req: Request & { caller?: Caller }, @Res() res: Response): Promise<void> {
    try {
      const name = BY_FILE[file];
      if (!name) throw notFound(`export ${file}`);
      const { ticket, ...params } = query;
      const caller = await this.callerOf(req.caller, ticket, name);
      const filter = this.exports.filterOf(name, caller, params);
      await this.admin.require(caller, EXPORT_PERMISSIONS[name]);
      await this.exports.write(name, filter, res);
    } catch (e) {
      if (res.headersSent) {
        res.destroy(e as Error); // a broken file must not look complete
        return;
      }
      const code = e instanceof GraphQLError ? String(e.extensions.code) : 'INTERNAL_SERVER_ERROR';
      const status = STATUS[code] ?? 500;
      res.status(status).json({ errors: [{ message: status === 500 ? 'Internal server error' : (e as AppError).message, extensions: { code } }] });
      if (status === 500) this.log.error(`CSV export failed: ${(e as Error).message}`);
    }
  }

  private async callerOf(caller: Caller | undefined, ticket: unknown, name: ExportName): Promise<Caller> {
    if (ticket !== undefined) {
      if (typeof ticket !== 'string') throw badInput('ticket must be given once');
      if (caller?.kind !== 'service' || caller.service !== 'gateway') throw badInput('a ticket comes through the gateway only');
      return this.tickets.redeem(ticket, name);
    }
    if (!caller || caller.kind === 'service') throw badInput('an export is made for a user: send their token or a ticket');
    return caller;
  }
}
