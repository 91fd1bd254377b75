/** Audit vocabulary shared by the services (values as the audit log and its events carry them). */

/** Who did an audited action: a signed-in user, a device with its token, a service, or the system (a timer). */
export enum AuditActorKind {
  USER = 'user',
  DEVICE = 'device',
  SERVICE = 'service',
  SYSTEM = 'system',
}

/** Whether an audited action worked. */
export enum AuditResult {
  SUCCESS = 'Success',
  FAILURE = 'Failure',
}
