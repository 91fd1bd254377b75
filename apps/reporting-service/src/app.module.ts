import { DynamicModule, Module } from '@nestjs/common';
import { ServiceKitModule, ServiceStartKeys, subgraphGraphQLModule } from '@remote-help/service-kit';
import { AuditLogService } from './audit/audit-log.service';
import { AuditLogStore } from './audit/audit-log.store';
import { Clock } from './common/clock';
import { REPORTING_SETTINGS, reportingSettingsOf, SERVICE_NAME, type ReportingConfig } from './config';
import { ENTITIES, MIGRATIONS } from './data-source';
import { DirectoryUserStore } from './directory/directory-user.store';
import { CsvExportController } from './export/csv-export.controller';
import { CsvExportService } from './export/csv-export.service';
import { CsvExportStore } from './export/csv-export.store';
import { ExportTicketService } from './export/export-ticket.service';
import { ExportTicketStore } from './export/export-ticket.store';
import { ReportingConsumers } from './ingest/reporting-consumers';
import { MonitorService } from './monitor/monitor.service';
import { SessionStatsReader } from './monitor/session-stats.reader';
import { RetentionService } from './retention/retention.service';
import { ORPHANED_TYPES, RESOLVERS } from './schema';
import { SessionRecordService } from './session-record/session-record.service';
import { SessionRecordStore } from './session-record/session-record.store';

@Module({})
export class AppModule {
  static forRoot(config: ReportingConfig, keys: ServiceStartKeys): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({ name: SERVICE_NAME, config, entities: ENTITIES, migrations: MIGRATIONS, ...keys }),
        subgraphGraphQLModule({ production: config.NODE_ENV === 'production', orphanedTypes: ORPHANED_TYPES }),
      ],
      controllers: [CsvExportController],
      providers: [
        ...RESOLVERS,
        { provide: REPORTING_SETTINGS, useValue: reportingSettingsOf(config) },
        Clock,
        SessionRecordStore,
        AuditLogStore,
        DirectoryUserStore,
        ReportingConsumers,
        SessionStatsReader,
        SessionRecordService,
        MonitorService,
        AuditLogService,
        RetentionService,
        ExportTicketStore,
        ExportTicketService,
        CsvExportStore,
        CsvExportService,
      ],
    };
  }
}
