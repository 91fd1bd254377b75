import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Caller } from '@remote-help/auth';
import { auditEvent, TOPICS, writeToOutbox } from '@remote-help/events';
import { GraphQLError } from 'graphql';
import { DataSource, EntityManager } from 'typeorm';
import type { ServiceOptions } from './service-options';
import { SERVICE_OPTIONS } from './tokens';

export interface AuditedAction<T> {
  /** e.g. 'Settings', 'Directory', 'Role', 'RemoteHelp' */
  category: string;
  /** e.g. 'Update remote help settings' */
  activity: string;
  /** The target's id, known up front or read from the result. */
  targetId?: string | null | ((result: T) => string | null);
  details?: string | ((result: T) => string | undefined);
}

/**
 * Every administrative change is an audit event (who, what, when, success or failure), written
 * through the outbox: on success in the same transaction as the change; on failure (refused,
 * bad input, conflict, or an error) in a transaction of its own, since the change rolled back.
 */
@Injectable()
export class AuditTrail {
  private readonly log = new Logger('AuditTrail');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_OPTIONS) private readonly options: ServiceOptions,
  ) {}

  async run<T>(caller: Caller, action: AuditedAction<T>, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const tenantId = caller.tenantId;
    try {
      return await this.dataSource.transaction(async (manager) => {
        const result = await work(manager);
        if (tenantId) {
          await writeToOutbox(manager, TOPICS.audit, this.event(caller, tenantId, action, 'Success', pick(action.targetId, result), pick(action.details, result)));
        }
        return result;
      });
    } catch (error) {
      if (tenantId) {
        const target = typeof action.targetId === 'function' ? null : (action.targetId ?? null);
        await this.dataSource
          .transaction((m) => writeToOutbox(m, TOPICS.audit, this.event(caller, tenantId, action, 'Failure', target, failureDetails(error))))
          .catch((e) => this.log.error(`could not record a failed "${action.activity}": ${(e as Error).message}`));
      }
      throw error;
    }
  }

  private event<T>(caller: Caller, tenantId: string, action: AuditedAction<T>, result: 'Success' | 'Failure', targetId: string | null | undefined, details: string | undefined) {
    return auditEvent({
      source: this.options.name,
      tenantId,
      actorId: caller.kind === 'user' ? caller.userId : caller.kind === 'device' ? caller.deviceId : null,
      actorKind: caller.kind,
      category: action.category,
      activity: action.activity,
      targetId: targetId ?? null,
      result,
      details,
    });
  }
}

/** The details of a Failure audit event: the public code and message, never an internal error's text. */
export function failureDetails(error: unknown): string {
  return error instanceof GraphQLError ? `${error.extensions?.code ?? 'ERROR'}: ${error.message}` : 'INTERNAL_SERVER_ERROR';
}

function pick<T, V>(v: V | ((r: T) => V) | undefined, result: T): V | undefined {
  return typeof v === 'function' ? (v as (r: T) => V)(result) : v;
}
