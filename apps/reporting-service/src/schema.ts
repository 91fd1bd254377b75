import type { Type } from '@nestjs/common';
import { AuditLogResolver } from './audit/audit-log.resolver';
import { ExportTicketResolver } from './export/export-ticket.resolver';
import { MonitorResolver } from './monitor/monitor.resolver';
import { SessionRecordResolver } from './session-record/session-record.resolver';
import { ActiveSessionCountResolver } from './subscription/active-session-count.resolver';
import { Tenant } from './tenant/tenant.model';
import { TenantMonitorResolver } from './tenant/tenant-monitor.resolver';

/** What this subgraph serves: its resolvers, and types no query returns directly. */
export const RESOLVERS = [SessionRecordResolver, MonitorResolver, AuditLogResolver, TenantMonitorResolver, ActiveSessionCountResolver, ExportTicketResolver];
export const ORPHANED_TYPES: Type[] = [Tenant];
