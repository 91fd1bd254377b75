import { Field, ID, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '../common/page';
import { UserRef } from '../common/refs.model';

/** One line of the audit log: who did what to which target, and whether it worked. */
@ObjectType('AuditEvent')
export class AuditEvent {
  @Field(() => ID) id: string;
  @Field() occurredAt: Date;
  @Field({ description: 'e.g. "RemoteHelp", "Role", "Settings", "Directory", "Tenant"' }) category: string;
  @Field({ description: 'e.g. "Update remote help settings", "Start remote help session"' }) activity: string;
  @Field(() => UserRef, { nullable: true, description: 'The user who acted; null for the system, services and devices (see actorKind, actorId).' })
  actor: UserRef | null;
  @Field(() => ID, { nullable: true, description: 'The id of whoever acted: a user, a device, or null for the system.' }) actorId: string | null;
  @Field({ description: 'user, device, service or system' }) actorKind: string;
  @Field(() => ID, { nullable: true }) targetId: string | null;
  @Field({ description: '"Success" or "Failure"' }) result: string;
  @Field(() => String, { nullable: true }) details: string | null;
}

@ObjectType('AuditEventEdge')
export class AuditEventEdge {
  @Field() cursor: string;
  @Field(() => AuditEvent) node: AuditEvent;
}

@ObjectType('AuditEventConnection')
export class AuditEventConnection {
  @Field(() => [AuditEventEdge]) edges: AuditEventEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}
