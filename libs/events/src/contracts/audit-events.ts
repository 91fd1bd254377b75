import { AuditActorKind, AuditResult } from '@remote-help/domain';
import { z } from 'zod';
import { domainEnum, text } from './schema-fields';

/**
 * Audit events on `TOPICS.audit`, from every service: one line of the audit log each (an
 * administrative change, a refused or failed action). subject: the target's id, or the tenant id
 * when there is no target. Session transitions carry their audit line in their lifecycle event
 * instead (SessionFacts.audit).
 */
export const AUDIT_EVENT_TYPE = 'audit.recorded';

/**
 * One line of the audit log: who did what to which target, and whether it worked. An event of an
 * older service without `actorKind` gets it here, once for producers and consumers alike: `user`
 * when there is an actor, else `system`.
 */
export const AuditRecordSchema = z
  .object({
    /** a user or device id; null for the system (timers) and services */
    actorId: z.string().nullable(),
    /** absent in events of older services: `user` when there is an actor, else `system` */
    actorKind: domainEnum(AuditActorKind).optional(),
    /** e.g. 'Settings', 'Directory', 'Role', 'RemoteHelp' */
    category: text(),
    /** e.g. 'Update remote help settings' */
    activity: text(),
    /** the target's id (a UUID in lower case), or another name of it, or null */
    targetId: z.string().nullable(),
    result: domainEnum(AuditResult),
    /** short, text-free details (never chat text); a failure's public code and message */
    details: z.string().nullish(),
  })
  .transform((r) => ({ ...r, actorKind: r.actorKind ?? (r.actorId ? AuditActorKind.USER : AuditActorKind.SYSTEM) }));
/** An audit line as producers give it (`actorKind` may be left out). */
export type AuditRecordInput = z.input<typeof AuditRecordSchema>;
