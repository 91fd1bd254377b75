import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AdminPermission } from '@remote-help/domain';

/** The CSV exports of the gateway (`GET /exports/<name>.csv`). */
export enum ExportName {
  REMOTE_HELP_SESSIONS = 'REMOTE_HELP_SESSIONS',
  AUDIT_EVENTS = 'AUDIT_EVENTS',
}
registerEnumType(ExportName, { name: 'ExportName', description: 'A CSV export: REMOTE_HELP_SESSIONS is /exports/remote-help-sessions.csv, AUDIT_EVENTS /exports/audit-events.csv.' });

/** The file name of each export under /exports/ (the gateway's paths). */
export const EXPORT_FILES: Record<ExportName, string> = {
  [ExportName.REMOTE_HELP_SESSIONS]: 'remote-help-sessions.csv',
  [ExportName.AUDIT_EVENTS]: 'audit-events.csv',
};

/** The admin permission each export needs (as the GraphQL field it mirrors). */
export const EXPORT_PERMISSIONS: Record<ExportName, AdminPermission> = {
  [ExportName.REMOTE_HELP_SESSIONS]: AdminPermission.READ_REPORTS,
  [ExportName.AUDIT_EVENTS]: AdminPermission.READ_AUDIT_LOG,
};

@ObjectType('ExportTicket', { description: 'A one-use ticket for a browser download of an export: append ?ticket= to the export URL instead of sending the bearer token.' })
export class ExportTicket {
  @Field() ticket: string;
  @Field({ description: 'Valid until then (60 s), for the caller only.' }) expiresAt: Date;
}
