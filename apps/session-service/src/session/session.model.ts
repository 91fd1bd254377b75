import { Directive, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { EndReason, SessionMode, SessionState } from '@remote-help/domain';

registerEnumType(SessionMode, { name: 'SessionMode' });
registerEnumType(SessionState, { name: 'SessionState' });
registerEnumType(EndReason, { name: 'EndReason' });

/** tenant-service's entity, referenced by id. */
@ObjectType('User')
@Directive('@key(fields: "id", resolvable: false)')
export class UserRef {
  @Field(() => ID) id: string;
}

@ObjectType('RemoteHelpSession')
@Directive('@key(fields: "id")')
export class RemoteHelpSession {
  @Field(() => ID) id: string;
  @Field(() => SessionState) state: SessionState;
  @Field(() => SessionMode) mode: SessionMode;
  @Field() elevated: boolean;
  @Field({ description: 'False when the tenant had disabled chat when the session started.' }) chatEnabled: boolean;
  @Field(() => UserRef) helper: UserRef;
  @Field(() => UserRef, { nullable: true, description: 'Null for unattended sessions on dedicated devices.' }) sharer?: UserRef | null;
  @Field({ nullable: true, description: 'Why the helper opened it (ticket id, free text).' }) reason?: string;
  @Field() requestedAt: Date;
  @Field({ nullable: true }) startedAt?: Date;
  @Field({ nullable: true }) endedAt?: Date;
  @Field(() => EndReason, { nullable: true }) endReason?: EndReason;
}
