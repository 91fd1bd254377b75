import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { EndReason, SessionMode, SessionState } from '@remote-help/domain';
import { PageInfo } from '../common/page';
import { DeviceRef, UserRef } from '../common/refs.model';

registerEnumType(SessionMode, { name: 'SessionMode' });
registerEnumType(SessionState, { name: 'SessionState' });
registerEnumType(EndReason, { name: 'EndReason' });

/** One row of the "Remote Help sessions" report. */
@ObjectType('SessionRecord')
export class SessionRecord {
  @Field(() => ID) sessionId: string;
  @Field(() => UserRef, { description: 'The helper.' }) provider: UserRef;
  @Field(() => UserRef, { nullable: true, description: 'The sharer; null for dedicated devices with no user (and sessions nobody joined).' })
  recipient: UserRef | null;
  @Field({ description: 'The recipient\'s display name (else their sign-in name), or "--" when there is no recipient.' })
  recipientDisplay: string;
  @Field(() => DeviceRef, { nullable: true, description: 'Null for unenrolled devices (the report is limited to `deviceId` for them).' })
  device: DeviceRef | null;
  @Field(() => ID, { description: 'The device, enrolled or not.' }) deviceId: string;
  @Field({ description: 'Whether the device was enrolled in device management when the session was requested.' }) deviceEnrolled: boolean;
  @Field(() => SessionMode, { description: 'The session type as requested.' }) sessionType: SessionMode;
  @Field() elevationUsed: boolean;
  @Field() chatUsed: boolean;
  @Field({ description: 'When the helper requested the session: the time the report filters, sorts and pages on.' }) requestedAt: Date;
  @Field(() => Date, { nullable: true }) startedAt: Date | null;
  @Field(() => Date, { nullable: true }) endedAt: Date | null;
  @Field(() => Int, { nullable: true, description: 'endedAt - startedAt in whole seconds; null unless the session started and ended.' })
  durationSeconds: number | null;
  @Field(() => SessionState, { description: 'The state the session is in (or ended in).' }) outcome: SessionState;
  @Field(() => EndReason, { nullable: true }) endReason: EndReason | null;
  @Field(() => String, { nullable: true, description: 'Why the helper opened it.' }) reason: string | null;
}

@ObjectType('SessionRecordEdge')
export class SessionRecordEdge {
  @Field() cursor: string;
  @Field(() => SessionRecord) node: SessionRecord;
}

@ObjectType('SessionRecordConnection')
export class SessionRecordConnection {
  @Field(() => [SessionRecordEdge]) edges: SessionRecordEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
  /** Resolved only when asked for (see SessionRecordResolver.totalCount). */
  totalCount?: number;
  countTotal: () => Promise<number>;
}

@InputType('SessionRecordFilter', { description: 'All given conditions must hold. Times filter on `requestedAt`: from (inclusive) to (exclusive).' })
export class SessionRecordFilter {
  @Field(() => Date, { nullable: true }) from?: Date | null;
  @Field(() => Date, { nullable: true }) to?: Date | null;
  @Field(() => ID, { nullable: true, description: 'The helper.' }) providerId?: string | null;
  @Field(() => ID, { nullable: true, description: 'The sharer.' }) recipientId?: string | null;
  @Field(() => ID, { nullable: true }) deviceId?: string | null;
  @Field(() => SessionMode, { nullable: true }) sessionType?: SessionMode | null;
}
